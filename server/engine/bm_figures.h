/*  bm_figures: accept figures from the units.

    Each figure is checked against the plan (district, plan year, unit,
    indicator, measure, the unit's target, the month's milestone) and its
    value is parsed exactly. A batch is stored all or nothing in one
    transaction, and the receipts go back only after it commits. The
    client-chosen id makes a resend safe: the same id with the same content
    is answered UNCHANGED and stored once; the same id with other content is
    refused. Every accepted figure recomputes the completion of its unit and
    of the district, and publishes both.
*/
#ifndef BM_FIGURES_H_INCLUDED
#define BM_FIGURES_H_INCLUDED

#include "bm_request.h"

int
    bm_figures_submit (bm_request_t *request, const Battlemap__SubmitRequest *submit);

#endif
