/*  bm_plan_kind: the kinds of indicator, and what fits each.

    Every indicator row has a kind, and the kind says what the rest of the
    plan may ask of it (deploy/plans/README.md, "Kinds of indicator"):

        kind          targets             milestones  baselines  ranked
        amount        total, growth       yes         yes        yes
        growth        growth              no          yes        yes
        ratio         level               no          no         yes
        level         level               no          yes        yes
        qualitative   qualitative         no          yes        no
        group         none                no          no         no

    A ratio is computed from its formula, so it has no figures of its own
    to compare with last year; a group is a heading with no figures at
    all. A row that asks for what its indicator's kind cannot have is
    reported at that row, naming the kind, so that whoever fixes it sees
    which of the two is wrong.
*/

#include "bm_plan_private.h"
#include "bm_i18n.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

const char *const bm_plan_target_kinds [] = {
    "total", "growth", "level", "qualitative", NULL
};

//  The tables below are in bm_kind_t order
_Static_assert (BM_KIND_AMOUNT == 0 && BM_KIND_GROWTH == 1 && BM_KIND_RATIO == 2
                && BM_KIND_LEVEL == 3 && BM_KIND_QUALITATIVE == 4 && BM_KIND_GROUP == 5,
                "bm_plan_kind.c's tables follow bm_kind_t");

//  The kind in a sentence, by bm_kind_t: "which is a ratio"
static const char *s_kind_phrase [BM_PLAN_KINDS] = {
    N_("an amount"), N_("a growth rate"), N_("a ratio"), N_("a level"), N_("qualitative"),
    N_("a group")
};

//  The target kinds each kind of indicator takes, as bits of
//  bm_plan_target_kinds, and how to say so
#define S_TOTAL         (1u << 0)
#define S_GROWTH        (1u << 1)
#define S_LEVEL         (1u << 2)
#define S_QUALITATIVE   (1u << 3)

static const unsigned s_target_fits [BM_PLAN_KINDS] = {
    S_TOTAL | S_GROWTH, S_GROWTH, S_LEVEL, S_LEVEL, S_QUALITATIVE, 0
};

static const char *s_target_rule [BM_PLAN_KINDS] = {
    N_("its targets are totals, or growth on the previous year"),
    N_("its targets are growth"),
    N_("its targets are levels"),
    N_("its targets are levels"),
    N_("its targets are qualitative"),
    N_("it has no targets: set them on the indicators under it")
};

const char *
bm_plan_kind_phrase (int kind)
{
    assert (kind >= 0 && kind < BM_PLAN_KINDS);
    return _(s_kind_phrase [kind]);
}

int
bm_plan_read_kind (bm_plan_table_t *table, int column)
{
    //  The kinds as bm_evaluate spells them, for the message if it is none
    const char *choices [BM_PLAN_KINDS + 1];
    for (int kind = 0; kind < BM_PLAN_KINDS; kind++)
        choices [kind] = bm_kind_name ((bm_kind_t) kind);
    choices [BM_PLAN_KINDS] = NULL;
    int choice = bm_plan_table_choice (table, column, choices, -1);
    bm_kind_t kind;
    if (choice < 0 || bm_kind_parse (bm_plan_table_text (table, column), &kind) != 0)
        return -1;
    assert ((int) kind == choice);
    return (int) kind;
}

int
bm_plan_indicator_kind (const bm_plan_indicator_t *indicator)
{
    assert (indicator);
    bm_kind_t kind;
    if (!indicator->kind || bm_kind_parse (indicator->kind, &kind) != 0)
        return -1;
    return (int) kind;
}

//  "sei-share" or "project-progress measure 出让一批"; caller frees
static char *
s_indicator_name (const bm_plan_indicator_t *indicator)
{
    char *name = *indicator->measure
               ? zsys_sprintf (_("%s measure %s"), indicator->code, indicator->measure)
               : strdup (indicator->code);
    assert (name);
    return name;
}

//  Report that a row does not fit its indicator's kind
static void
s_misfit (bm_plan_table_t *table, int column, const char *what,
          const bm_plan_indicator_t *indicator, int kind, const char *rule)
{
    char *name = s_indicator_name (indicator);
    bm_plan_table_fail (table, column, _("%s does not fit indicator %s, which is %s (%s)"),
                        what, name, _(s_kind_phrase [kind]), _(rule));
    free (name);
}

void
bm_plan_fit_target (bm_plan_table_t *table, int column,
                    const bm_plan_indicator_t *indicator, int target_kind)
{
    int kind = bm_plan_indicator_kind (indicator);
    assert (target_kind >= 0 && target_kind < 4);
    if (kind < 0 || !bm_plan_table_usable (table, column)
    ||  (s_target_fits [kind] & (1u << target_kind)))
        return;
    char what [64];
    snprintf (what, sizeof (what), _("kind \"%s\""), bm_plan_target_kinds [target_kind]);
    s_misfit (table, column, what, indicator, kind, s_target_rule [kind]);
}

void
bm_plan_fit_milestone (bm_plan_table_t *table, int column,
                       const bm_plan_indicator_t *indicator)
{
    int kind = bm_plan_indicator_kind (indicator);
    if (kind < 0 || kind == BM_KIND_AMOUNT || !bm_plan_table_usable (table, column))
        return;
    s_misfit (table, column, _("a milestone"), indicator, kind,
              kind == BM_KIND_GROUP
              ? N_("a group has no figures: give milestones to the indicators under it")
              : N_("only an amount has monthly milestones; the other kinds hold all year"));
}

void
bm_plan_fit_baseline (bm_plan_table_t *table, int column,
                      const bm_plan_indicator_t *indicator)
{
    int kind = bm_plan_indicator_kind (indicator);
    if (!bm_plan_table_usable (table, column))
        return;
    if (kind == BM_KIND_GROUP)
        s_misfit (table, column, _("a baseline"), indicator, kind,
                  N_("a group has no figures: give baselines to the indicators under it"));
    else
    if (kind == BM_KIND_RATIO)
        s_misfit (table, column, _("a baseline"), indicator, kind,
                  N_("a ratio is computed from its formula: give baselines to the "
                     "indicators it is computed from"));
}

void
bm_plan_fit_ranking (bm_plan_table_t *table, int column,
                     const bm_plan_indicator_t *indicator)
{
    int kind = bm_plan_indicator_kind (indicator);
    if (!bm_plan_table_usable (table, column))
        return;
    if (kind == BM_KIND_GROUP)
        s_misfit (table, column, _("a ranking"), indicator, kind,
                  N_("a group has no figures: rank on the indicators under it"));
    else
    if (kind == BM_KIND_QUALITATIVE)
        s_misfit (table, column, _("a ranking"), indicator, kind,
                  N_("a target in words has no completion to rank units by"));
}
