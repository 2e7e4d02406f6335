/*  bm_req_submit: figures from the units (bm_figures takes them). */

#include "bm_requests.h"
#include "bm_figures.h"

int
bm_req_submit (bm_request_t *request, const Battlemap__Envelope *envelope)
{
    return bm_figures_submit (request, envelope->submit);
}
