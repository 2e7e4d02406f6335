/*  bm_figures: figures from the units, taken in named steps.

    A submission goes through:
    - resolve: each figure against the plan (district, plan year, unit,
      indicator, measure, the unit's target, the month's milestone), its
      value parsed exactly;
    - check the window: inside its reporting window, or under an exception;
    - store: a new figure is applied to its cell in memory and its row
      queued; a resend (the same id and content) is answered UNCHANGED, the
      same id with other content refused;
    - judge: the completion of its unit and of the district, recomputed
      from memory;
    - decide alerts: the report, lagging, trajectory and text-milestone
      rules on what changed;
    - queue events: the figure, the completions and the alerts.
    All or nothing unless the submission is partial. The receipts go back
    only after the turn commits.
*/
#ifndef BM_FIGURES_H_INCLUDED
#define BM_FIGURES_H_INCLUDED

#include "bm_book.h"
#include "bm_request.h"

//  SubmitRequest: fills the request's reply
int
    bm_figures_submit (bm_request_t *request, const Battlemap__SubmitRequest *submit);

//  Apply a stored figure to its cell in memory: the cell's latest of its
//  kind, when its kind was first received, the last values the forecast-
//  accuracy report reads, the district's running sums, and the figure's
//  row among the cell's (its history). Used for live
//  figures and to replay the record at start.
void
    bm_figures_apply (bm_book_plan_t *plan, bm_book_indicator_t *indicator, int unit,
                      int month, bool final, const bm_book_figure_t *figure);

#endif
