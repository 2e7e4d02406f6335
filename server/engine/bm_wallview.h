/*  bm_wall: the battle map for a district and month, and a unit's template.

    The district wall lists the plan's key tasks (区级 first, then 部门级) with
    one row per measure: annual target, the month's cumulative milestone,
    the cumulative actual, completion against both, and a status. A unit's
    wall lists every indicator the unit has a target for. The template is
    what a unit fills in for a month: its indicators, the month's
    milestones and the last values it sent.
*/
#ifndef BM_WALL_H_INCLUDED
#define BM_WALL_H_INCLUDED

#include "bm_request.h"

int
    bm_wall_handle (bm_request_t *request, const Battlemap__WallRequest *wall);

int
    bm_wall_template (bm_request_t *request, const Battlemap__TemplateRequest *template_);

#endif
