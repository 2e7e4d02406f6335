/*  test_plan_shipped: the plans under deploy/plans parse without a problem,
    every indicator of them has a kind, they hold the figures of the
    documents, cell by cell, as listed in tests/data/plan_cells.tsv:

        plan  table  indicator  measure  unit  field  expected

    table is target, milestone, task, indicator, baseline, holiday or plan.
    target:    field value:ROLE or value:KIND (value:working, value:assessment,
               value:growth, which is kind growth, role working), optionally
               both (value:assessment:growth); also text:, comparator:, kind:,
               note:. Without a kind, the cell is the unit's non-growth target.
    milestone: field value:M, text:M, share_pct:M, note:M or none:M for month
               M (none: yes when the month is marked "/", no otherwise); unit
               empty is 全区.
    task:      indicator is 区级:N or 部门级:N; field title, leaders,
               sections, indicator, measures, overall, beside or note.
    indicator: indicator is the code, measure the measure or empty; unit
               empty; field kind, formula, aggregation (sum or none),
               direction (higher or lower), unit_of_measure, name, parent,
               note, through_month, decimals, decimals_given (yes or no),
               plausible_factor, may_decrease (yes or no), on_track_pct or
               at_risk_pct (empty when not given).
    baseline:  field value:YYYY-MM; unit empty is 全区.
    holiday:   a day of holidays.csv; indicator, measure and unit empty;
               field kind:YYYY-MM-DD (expected holiday or workday) or
               name:YYYY-MM-DD.
    plan:      plan.csv; indicator, measure and unit empty; field title,
               documents, district_name, forecast_day or final_day.
    expected   "—" is a no-target cell (a milestone, a baseline or a holiday:
               there is none; a day holidays.csv does not list).
    A text field whose name ends in "~" (note~, note~:6, documents~) holds
    the expected text somewhere in it, rather than being exactly it.

    Besides the cells, the rules the documents set for the whole plan: what
    is measured over 1-11 月 is measured through November, stock counts are
    levels, the department-level quarterly milestones sit at the quarters'
    ends, numeric milestones never fall and end at the annual target.
*/

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "bm_plan.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define EM_DASH "\xE2\x80\x94"

//  BM_SOURCE_DIR as ctest sets it, else this file's ../.. ; caller frees
static char *
s_source_dir (void)
{
    const char *env = getenv ("BM_SOURCE_DIR");
    if (env && *env)
        return strdup (env);
    //  tests/unit/test_plan_shipped.c: three steps up
    char *path = strdup (__FILE__);
    for (int level = 0; level < 3; level++) {
        char *slash = strrchr (path, '/');
        if (!slash) {
            free (path);
            return strdup (".");
        }
        *slash = '\0';
    }
    return path;
}

//  The shipped plans, by folder name and by plan code
typedef struct {
    zhashx_t *plans;            //  name -> bm_plan_t (owned through folders)
    zlistx_t *folders;          //  folder names
    bm_plan_t *parsed [32];
    size_t parsed_count;
    char *source;
} shipped_t;

static int
s_setup (void **state)
{
    shipped_t *self = (shipped_t *) zmalloc (sizeof (shipped_t));
    self->source = s_source_dir ();
    self->plans = zhashx_new ();
    self->folders = zlistx_new ();
    zlistx_set_destructor (self->folders, (zlistx_destructor_fn *) zstr_free);
    zlistx_set_comparator (self->folders, (zlistx_comparator_fn *) strcmp);

    char *plans_dir = zsys_sprintf ("%s/deploy/plans", self->source);
    DIR *dir = opendir (plans_dir);
    if (dir) {
        struct dirent *entry;
        while ((entry = readdir (dir))) {
            if (entry->d_name [0] == '.')
                continue;
            char *path = zsys_sprintf ("%s/%s", plans_dir, entry->d_name);
            struct stat status;
            if (stat (path, &status) == 0 && S_ISDIR (status.st_mode))
                zlistx_add_end (self->folders, strdup (entry->d_name));
            free (path);
        }
        closedir (dir);
    }
    zlistx_sort (self->folders);
    free (plans_dir);
    *state = self;
    return 0;
}

static int
s_teardown (void **state)
{
    shipped_t *self = (shipped_t *) *state;
    for (size_t index = 0; index < self->parsed_count; index++)
        bm_plan_destroy (&self->parsed [index]);
    zhashx_destroy (&self->plans);
    zlistx_destroy (&self->folders);
    free (self->source);
    free (self);
    return 0;
}

static void
test_shipped_plans_parse (void **state)
{
    shipped_t *self = (shipped_t *) *state;
    print_message ("plans in %s/deploy/plans: %zu\n", self->source,
                   zlistx_size (self->folders));
    assert_true (zlistx_size (self->folders) >= 1);
    size_t failures = 0;
    for (const char *folder = (const char *) zlistx_first (self->folders); folder;
         folder = (const char *) zlistx_next (self->folders)) {
        char *path = zsys_sprintf ("%s/deploy/plans/%s", self->source, folder);
        zlist_t *errors = zlist_new ();
        zlist_autofree (errors);
        bm_plan_t *plan = bm_plan_parse_dir (path, errors);
        for (const char *error = (const char *) zlist_first (errors); error;
             error = (const char *) zlist_next (errors))
            print_message ("%s/%s\n", folder, error);
        if (plan) {
            print_message ("%s: %zu units, %zu indicators, %zu targets, "
                           "%zu milestones, %zu tasks, %zu baselines, %zu rankings, "
                           "%zu holidays, deadline_rule %s\n",
                           folder, plan->unit_count, plan->indicator_count,
                           plan->target_count, plan->milestone_count, plan->task_count,
                           plan->baseline_count, plan->ranking_count,
                           plan->holiday_count, plan->header.deadline_rule);
            assert_int_equal (zlist_size (errors), 0);
            assert_true (self->parsed_count < 32);
            self->parsed [self->parsed_count++] = plan;
            zhashx_insert (self->plans, folder, plan);
            zhashx_insert (self->plans, plan->header.plan, plan);
        }
        else
            failures++;
        zlist_destroy (&errors);
        free (path);
    }
    assert_int_equal (failures, 0);
}


//  Every indicator row of every shipped plan has a kind, one of the six.
//  The parser refuses a plan otherwise; this states the requirement, and
//  shows how the plans' indicators divide among the kinds.
static void
test_every_indicator_has_a_kind (void **state)
{
    shipped_t *self = (shipped_t *) *state;
    static const char *kinds [] = {
        "amount", "growth", "ratio", "level", "qualitative", "group"
    };
    size_t kind_count = sizeof (kinds) / sizeof (kinds [0]);
    assert_true (self->parsed_count >= 1);
    size_t without = 0;
    for (size_t plan_index = 0; plan_index < self->parsed_count; plan_index++) {
        const bm_plan_t *plan = self->parsed [plan_index];
        size_t counts [6] = { 0 };
        for (size_t index = 0; index < plan->indicator_count; index++) {
            const bm_plan_indicator_t *indicator = &plan->indicators [index];
            size_t kind = 0;
            while (kind < kind_count && !streq (indicator->kind, kinds [kind]))
                kind++;
            if (kind < kind_count)
                counts [kind]++;
            else {
                print_message ("%s: indicator %s%s%s has no kind (\"%s\")\n",
                               plan->header.plan, indicator->code,
                               *indicator->measure? " measure ": "", indicator->measure,
                               indicator->kind? indicator->kind: "(null)");
                without++;
            }
        }
        print_message ("%s: %zu indicators:", plan->header.plan, plan->indicator_count);
        for (size_t kind = 0; kind < kind_count; kind++)
            print_message (" %zu %s", counts [kind], kinds [kind]);
        print_message ("\n");
    }
    assert_int_equal (without, 0);
}


//  --------------------------------------------------------------------------
//  The documents' rules, over the whole plan

static const bm_plan_t *
s_plan (shipped_t *self, const char *code)
{
    const bm_plan_t *plan = (const bm_plan_t *) zhashx_lookup (self->plans, code);
    if (!plan)
        fail_msg ("plan %s was not parsed", code);
    return plan;
}

//  The milestone of an indicator's measure for a unit and month, or NULL
static const bm_plan_milestone_t *
s_milestone (const bm_plan_t *plan, const char *code, const char *measure,
             const char *unit, int month)
{
    for (size_t index = 0; index < plan->milestone_count; index++) {
        const bm_plan_milestone_t *milestone = &plan->milestones [index];
        if (streq (milestone->indicator, code) && streq (milestone->measure, measure)
        &&  streq (milestone->unit, unit) && milestone->month == month)
            return milestone;
    }
    return NULL;
}

//  An indicator named "…（1-11 月）" is measured over January to November,
//  so that November expects the whole target; the others over the year
static void
test_months_measured (void **state)
{
    shipped_t *self = (shipped_t *) *state;
    size_t wrong = 0;
    size_t eleven = 0;
    for (size_t plan_index = 0; plan_index < self->parsed_count; plan_index++) {
        const bm_plan_t *plan = self->parsed [plan_index];
        for (size_t index = 0; index < plan->indicator_count; index++) {
            const bm_plan_indicator_t *indicator = &plan->indicators [index];
            bool named = strstr (indicator->name, "1-11 月") || strstr (indicator->name, "1-11月")
                      || strstr (indicator->name, "1–11 月");
            int expected = named? 11: 12;
            eleven += named;
            if (indicator->through_month != expected) {
                print_message ("%s: %s \"%s\" is measured through month %d, not %d\n",
                               plan->header.plan, indicator->code, indicator->name,
                               indicator->through_month, expected);
                wrong++;
            }
        }
    }
    assert_int_equal (eleven, 4);       //  Qingpu: 附件1's four 1-11 月 indicators
    assert_int_equal (wrong, 0);
}

//  Stock counts (在库 200家, 有效 1100家, 期末登记 7300人) are levels: held
//  all year against one target, adding up across units, never milestones
static void
test_stock_counts_are_levels (void **state)
{
    shipped_t *self = (shipped_t *) *state;
    const bm_plan_t *plan = s_plan (self, "qingpu-2023");
    static const struct {
        const char *code;
        const char *comparator;
        size_t targets;
    } stocks [] = {
        { "sei-enterprises", ">=", 13 },            //  附件17: 全区 and 12 units
        { "high-tech-enterprises", ">=", 1 },       //  附件1, 另行分解下达
        { "registered-unemployed", "<=", 1 },       //  附件1, a ceiling
    };
    for (size_t stock = 0; stock < sizeof stocks / sizeof stocks [0]; stock++) {
        const bm_plan_indicator_t *indicator = bm_plan_indicator (plan, stocks [stock].code, "");
        assert_non_null (indicator);
        assert_string_equal (indicator->kind, "level");
        assert_true (indicator->additive);
        assert_true (indicator->may_decrease);
        size_t targets = 0;
        for (size_t index = 0; index < plan->target_count; index++) {
            const bm_plan_target_t *target = &plan->targets [index];
            if (!streq (target->indicator, stocks [stock].code))
                continue;
            assert_string_equal (target->kind, "level");
            assert_string_equal (target->comparator, stocks [stock].comparator);
            targets++;
        }
        assert_int_equal (targets, stocks [stock].targets);
        for (size_t index = 0; index < plan->milestone_count; index++)
            assert_string_not_equal (plan->milestones [index].indicator, stocks [stock].code);
    }
    //  Nothing named as a stock is counted as a flow in any plan
    for (size_t plan_index = 0; plan_index < self->parsed_count; plan_index++) {
        const bm_plan_t *each = self->parsed [plan_index];
        for (size_t index = 0; index < each->indicator_count; index++) {
            const bm_plan_indicator_t *indicator = &each->indicators [index];
            if (strstr (indicator->name, "在库") || strncmp (indicator->name, "有效", 6) == 0)
                assert_string_not_equal (indicator->kind, "amount");
        }
    }
}

//  The task list's milestones as the documents place them: "/" months
//  marked, a merged cell at the end of its span, the department-level
//  quarters at 3, 6, 9 and 12; cumulative values that never fall and end
//  at the annual target
static void
test_milestones_as_placed (void **state)
{
    shipped_t *self = (shipped_t *) *state;
    const bm_plan_t *plan = s_plan (self, "qingpu-2023");
    char buffer [BM_DECIMAL_STR_MAX];

    //  区级1: 261 is January-February (one cell over 1-2月); January expects nothing
    assert_null (s_milestone (plan, "industrial-output", "", BM_DISTRICT_UNIT, 1));
    const bm_plan_milestone_t *first = NULL;
    for (size_t index = 0; index < plan->milestone_count; index++) {
        const bm_plan_milestone_t *milestone = &plan->milestones [index];
        if (streq (milestone->indicator, "industrial-output")
        &&  (!first || milestone->month < first->month))
            first = milestone;
    }
    assert_non_null (first);
    assert_int_equal (first->month, 2);
    assert_true (first->has_value);
    assert_string_equal (bm_decimal_format (first->value, buffer), "261");

    //  "/" in January: each measure of 区级2, 区级3 and 部门级4
    size_t marked = 0;
    for (size_t index = 0; index < plan->indicator_count; index++) {
        const bm_plan_indicator_t *indicator = &plan->indicators [index];
        if (!streq (indicator->code, "project-progress-jw"))
            continue;
        const bm_plan_milestone_t *january =
            s_milestone (plan, indicator->code, indicator->measure, BM_DISTRICT_UNIT, 1);
        assert_non_null (january);
        assert_true (january->none);
        assert_false (january->has_value);
        assert_false (january->has_share);
        marked++;
    }
    assert_int_equal (marked, 4);
    const char *slashed [] = { "zjtx-new", "industrial-investment" };
    for (size_t index = 0; index < 2; index++) {
        const bm_plan_milestone_t *january =
            s_milestone (plan, slashed [index], "", BM_DISTRICT_UNIT, 1);
        assert_non_null (january);
        assert_true (january->none);
    }

    //  区级3: 7-9月 and 10-12月 are merged cells, at 9 (with 完成新增90家) and 12
    for (int month = 7; month <= 11; month++)
        if (month != 9)
            assert_null (s_milestone (plan, "zjtx-new", "", BM_DISTRICT_UNIT, month));
    const bm_plan_milestone_t *september =
        s_milestone (plan, "zjtx-new", "", BM_DISTRICT_UNIT, 9);
    assert_non_null (september);
    assert_true (september->has_value);
    assert_string_equal (bm_decimal_format (september->value, buffer), "90");
    assert_non_null (strstr (september->text, "完成新增90家"));
    const bm_plan_milestone_t *december =
        s_milestone (plan, "zjtx-new", "", BM_DISTRICT_UNIT, 12);
    assert_non_null (december);
    assert_false (december->has_value);
    assert_non_null (strstr (december->text, "分析评估"));

    //  部门级1, 2, 5, 6, 7 list a cell per quarter: at the quarters' ends
    const char *quarterly [] = { "industrial-chain-investment", "producer-services-investment",
                                 "smart-factory", "ipo", "civil-aviation-revenue" };
    for (size_t task = 0; task < sizeof quarterly / sizeof quarterly [0]; task++) {
        size_t quarters = 0;
        for (size_t index = 0; index < plan->milestone_count; index++) {
            const bm_plan_milestone_t *milestone = &plan->milestones [index];
            if (!streq (milestone->indicator, quarterly [task]))
                continue;
            if (milestone->month % 3 != 0)
                fail_msg ("%s has a milestone in month %d, not at a quarter's end",
                          quarterly [task], milestone->month);
            quarters++;
        }
        assert_int_equal (quarters, 4);
    }

    //  Cumulative: a unit's numeric milestones never fall, and December's
    //  is the annual working target (of the district, for the district's)
    size_t checked = 0;
    for (size_t index = 0; index < plan->milestone_count; index++) {
        const bm_plan_milestone_t *milestone = &plan->milestones [index];
        if (!milestone->has_value)
            continue;
        for (int month = milestone->month + 1; month <= 12; month++) {
            const bm_plan_milestone_t *later = s_milestone (plan, milestone->indicator,
                milestone->measure, milestone->unit, month);
            if (later && later->has_value && bm_decimal_cmp (later->value, milestone->value) < 0)
                fail_msg ("%s %s %s: month %d's milestone is below month %d's",
                          milestone->indicator, milestone->measure, milestone->unit,
                          month, milestone->month);
        }
        if (milestone->month != 12)
            continue;
        for (size_t target = 0; target < plan->target_count; target++) {
            const bm_plan_target_t *row = &plan->targets [target];
            if (streq (row->indicator, milestone->indicator)
            &&  streq (row->measure, milestone->measure) && streq (row->unit, milestone->unit)
            &&  streq (row->role, "working") && streq (row->kind, "total")) {
                if (!row->has_value || bm_decimal_cmp (row->value, milestone->value) != 0)
                    fail_msg ("%s %s: December's milestone differs from the target",
                              milestone->indicator, milestone->measure);
                checked++;
            }
        }
    }
    assert_true (checked >= 15);
}


//  --------------------------------------------------------------------------
//  Cells

typedef struct {
    int line;
    char *columns [7];
} cell_t;

enum { PLAN, TABLE, INDICATOR, MEASURE, UNIT, FIELD, EXPECTED };

static bool
s_decimal_equal (const char *expected, bool has_value, bm_decimal_t value)
{
    bm_decimal_t wanted;
    return has_value && bm_decimal_parse (expected, &wanted, NULL) == 0
        && bm_decimal_cmp (wanted, value) == 0;
}

static bool
s_is_role (const char *word)
{
    return streq (word, "working") || streq (word, "assessment");
}

//  A field name ending in "~" asks for part of a text: strips the "~" in
//  place and returns true
static bool
s_strip_contains (char *name)
{
    size_t length = strlen (name);
    if (length && name [length - 1] == '~') {
        name [length - 1] = '\0';
        return true;
    }
    return false;
}

static bool
s_text_matches (const char *actual, const char *expected, bool contains)
{
    return contains? strstr (actual, expected) != NULL: streq (actual, expected);
}

//  "yes" or "no"
static const char *
s_yes_no (bool value)
{
    return value? "yes": "no";
}

//  Check a target cell; returns NULL or a description of the mismatch
static char *
s_check_target (const bm_plan_t *plan, const cell_t *cell)
{
    const char *unit = *cell->columns [UNIT]? cell->columns [UNIT]: BM_DISTRICT_UNIT;
    char *field = strdup (cell->columns [FIELD]);
    char *state = NULL;
    char *attribute = strtok_r (field, ":", &state);
    bool contains = attribute && s_strip_contains (attribute);
    const char *role = "working";
    const char *kind = NULL;
    for (const char *word = strtok_r (NULL, ":", &state); word;
         word = strtok_r (NULL, ":", &state))
        if (s_is_role (word))
            role = word;
        else
            kind = word;

    const bm_plan_target_t *found = NULL;
    size_t matches = 0;
    for (int pass = 0; pass < 2 && matches != 1; pass++) {
        //  First pass: any kind asked for; second: without growth targets
        matches = 0;
        for (size_t index = 0; index < plan->target_count; index++) {
            const bm_plan_target_t *target = &plan->targets [index];
            if (!streq (target->indicator, cell->columns [INDICATOR])
            ||  !streq (target->measure, cell->columns [MEASURE])
            ||  !streq (target->unit, unit) || !streq (target->role, role))
                continue;
            if (kind? !streq (target->kind, kind)
                    : pass == 1 && streq (target->kind, "growth"))
                continue;
            found = target;
            matches++;
        }
        if (kind)
            break;
    }
    const char *expected = cell->columns [EXPECTED];
    char *problem = NULL;
    char buffer [BM_DECIMAL_STR_MAX];
    if (matches != 1)
        problem = zsys_sprintf ("%zu targets match (role %s, kind %s)", matches,
                                role, kind? kind: "any but growth");
    else
    if (streq (attribute, "value")) {
        if (streq (expected, EM_DASH)) {
            if (!found->no_target)
                problem = zsys_sprintf ("expected no target (—), plan has %s",
                                        found->has_value
                                        ? bm_decimal_format (found->value, buffer)
                                        : found->text);
        }
        else
        if (bm_decimal_parse (expected, &(bm_decimal_t) { 0 }, NULL) == 0) {
            if (!s_decimal_equal (expected, found->has_value, found->value))
                problem = zsys_sprintf ("expected %s, plan has %s (line %d)", expected,
                                        found->no_target? "—":
                                        found->has_value
                                        ? bm_decimal_format (found->value, buffer): "no value",
                                        found->line);
        }
        else
        if (!streq (expected, found->text))
            problem = zsys_sprintf ("expected text \"%s\", plan has \"%s\" (line %d)",
                                    expected, found->text, found->line);
    }
    else {
        const char *actual = streq (attribute, "text")? found->text
                           : streq (attribute, "comparator")? found->comparator
                           : streq (attribute, "kind")? found->kind
                           : streq (attribute, "note")? found->note: NULL;
        if (!actual)
            problem = zsys_sprintf ("unknown target field \"%s\"", attribute);
        else
        if (!s_text_matches (actual, expected, contains))
            problem = zsys_sprintf ("expected %s\"%s\", plan has \"%s\" (line %d)",
                                    contains? "a text holding ": "", expected, actual,
                                    found->line);
    }
    free (field);
    return problem;
}

static char *
s_check_milestone_field (const bm_plan_t *plan, const cell_t *cell, const char *field,
                         bool contains, int month);

static char *
s_check_milestone (const bm_plan_t *plan, const cell_t *cell)
{
    char *field = strdup (cell->columns [FIELD]);
    char *colon = strchr (field, ':');
    char *problem = NULL;
    if (!colon)
        problem = zsys_sprintf ("field \"%s\" has no month", field);
    else {
        int month = atoi (colon + 1);
        *colon = '\0';
        bool contains = s_strip_contains (field);
        problem = s_check_milestone_field (plan, cell, field, contains, month);
    }
    free (field);
    return problem;
}

//  field is the attribute alone (value, text…), without its month
static char *
s_check_milestone_field (const bm_plan_t *plan, const cell_t *cell, const char *field,
                         bool contains, int month)
{
    const char *unit = *cell->columns [UNIT]? cell->columns [UNIT]: BM_DISTRICT_UNIT;
    const bm_plan_milestone_t *found = NULL;
    for (size_t index = 0; index < plan->milestone_count; index++) {
        const bm_plan_milestone_t *milestone = &plan->milestones [index];
        if (streq (milestone->indicator, cell->columns [INDICATOR])
        &&  streq (milestone->measure, cell->columns [MEASURE])
        &&  streq (milestone->unit, unit) && milestone->month == month)
            found = milestone;
    }
    const char *expected = cell->columns [EXPECTED];
    bool none = streq (expected, EM_DASH);
    char buffer [BM_DECIMAL_STR_MAX];
    if (streq (field, "none")) {
        //  yes: the month is marked "/"; no: it is not (or has no row)
        bool marked = found && found->none;
        if (!streq (expected, s_yes_no (marked)))
            return zsys_sprintf ("expected none %s, month %d is %s", expected, month,
                                 marked? "marked \"/\"": found? "a milestone": "without a row");
        return NULL;
    }
    if (!found)
        return none? NULL: zsys_sprintf ("no milestone for month %d", month);
    if (streq (field, "value")) {
        if (none? found->has_value: !s_decimal_equal (expected, found->has_value, found->value))
            return zsys_sprintf ("expected %s, plan has %s", expected, found->has_value
                                 ? bm_decimal_format (found->value, buffer): "no value");
    }
    else
    if (streq (field, "share_pct")) {
        if (none? found->has_share
                : !s_decimal_equal (expected, found->has_share, found->share_pct))
            return zsys_sprintf ("expected share %s, plan has %s", expected,
                                 found->has_share
                                 ? bm_decimal_format (found->share_pct, buffer): "none");
    }
    else
    if (streq (field, "text") || streq (field, "note")) {
        const char *actual = streq (field, "text")? found->text: found->note;
        if (!s_text_matches (actual, none? "": expected, contains && !none))
            return zsys_sprintf ("expected %s %s\"%s\", plan has \"%s\"", field,
                                 contains? "holding ": "", expected, actual);
    }
    else
        return zsys_sprintf ("unknown milestone field \"%s\"", field);
    return NULL;
}

static char *
s_check_task (const bm_plan_t *plan, const cell_t *cell)
{
    char *level = strdup (cell->columns [INDICATOR]);
    char *colon = strchr (level, ':');
    if (!colon) {
        free (level);
        return zsys_sprintf ("indicator \"%s\" is not LEVEL:N", cell->columns [INDICATOR]);
    }
    *colon = '\0';
    int seq = atoi (colon + 1);
    const bm_plan_task_t *found = NULL;
    for (size_t index = 0; index < plan->task_count; index++)
        if (streq (plan->tasks [index].level, level) && plan->tasks [index].seq == seq)
            found = &plan->tasks [index];
    free (level);
    if (!found)
        return zsys_sprintf ("no task %s", cell->columns [INDICATOR]);

    char *field = strdup (cell->columns [FIELD]);
    bool contains = s_strip_contains (field);
    const char *actual = streq (field, "title")? found->title
                       : streq (field, "leaders")? found->leaders
                       : streq (field, "sections")? found->sections
                       : streq (field, "indicator")? found->indicator
                       : streq (field, "measures")? found->measures
                       : streq (field, "overall")? found->overall
                       : streq (field, "beside")? found->beside
                       : streq (field, "note")? found->note: NULL;
    char *problem = NULL;
    if (!actual)
        problem = zsys_sprintf ("unknown task field \"%s\"", field);
    else
    if (!s_text_matches (actual, cell->columns [EXPECTED], contains))
        problem = zsys_sprintf ("expected %s\"%s\", plan has \"%s\"",
                                contains? "a text holding ": "", cell->columns [EXPECTED],
                                actual);
    free (field);
    return problem;
}

static char *
s_check_indicator (const bm_plan_t *plan, const cell_t *cell)
{
    const bm_plan_indicator_t *found =
        bm_plan_indicator (plan, cell->columns [INDICATOR], cell->columns [MEASURE]);
    if (!found)
        return zsys_sprintf ("no indicator %s%s%s", cell->columns [INDICATOR],
                             *cell->columns [MEASURE]? " measure ": "",
                             cell->columns [MEASURE]);
    char *field = strdup (cell->columns [FIELD]);
    bool contains = s_strip_contains (field);
    //  Numbers as text: 11, 1, 10; thresholds in percent, "" for the default
    char number [BM_DECIMAL_STR_MAX] = "";
    if (streq (field, "through_month"))
        snprintf (number, sizeof number, "%d", found->through_month);
    else
    if (streq (field, "decimals"))
        snprintf (number, sizeof number, "%d", found->decimals);
    else
    if (streq (field, "plausible_factor"))
        bm_decimal_format (found->plausible_factor, number);
    else
    if (streq (field, "on_track_pct") && found->on_track_tenths)
        bm_decimal_format ((bm_decimal_t) {
            found->on_track_tenths * (BM_DECIMAL_SCALE / 10) }, number);
    else
    if (streq (field, "at_risk_pct") && found->at_risk_tenths)
        bm_decimal_format ((bm_decimal_t) {
            found->at_risk_tenths * (BM_DECIMAL_SCALE / 10) }, number);
    bool numeric = streq (field, "through_month") || streq (field, "decimals")
                || streq (field, "plausible_factor") || streq (field, "on_track_pct")
                || streq (field, "at_risk_pct");
    const char *actual = numeric? number
                       : streq (field, "kind")? found->kind
                       : streq (field, "formula")? found->formula
                       : streq (field, "aggregation")? (found->additive? "sum": "none")
                       : streq (field, "direction")
                         ? (found->direction == BM_LOWER_IS_BETTER? "lower": "higher")
                       : streq (field, "unit_of_measure")? found->unit_of_measure
                       : streq (field, "name")? found->name
                       : streq (field, "parent")? found->parent
                       : streq (field, "note")? found->note
                       : streq (field, "decimals_given")? s_yes_no (found->decimals_given)
                       : streq (field, "may_decrease")? s_yes_no (found->may_decrease): NULL;
    char *problem = NULL;
    if (!actual)
        problem = zsys_sprintf ("unknown indicator field \"%s\"", field);
    else
    if (!s_text_matches (actual, cell->columns [EXPECTED], contains))
        problem = zsys_sprintf ("expected %s\"%s\", plan has \"%s\"",
                                contains? "a text holding ": "", cell->columns [EXPECTED],
                                actual);
    free (field);
    return problem;
}

static char *
s_check_baseline (const bm_plan_t *plan, const cell_t *cell)
{
    const char *unit = *cell->columns [UNIT]? cell->columns [UNIT]: BM_DISTRICT_UNIT;
    const char *field = cell->columns [FIELD];
    int year = 0;
    int month = 0;
    char tail;
    if (strncmp (field, "value:", 6) != 0
    ||  sscanf (field + 6, "%4d-%2d%c", &year, &month, &tail) != 2)
        return zsys_sprintf ("unknown baseline field \"%s\": write value:YYYY-MM", field);
    const bm_plan_baseline_t *found = NULL;
    for (size_t index = 0; index < plan->baseline_count; index++) {
        const bm_plan_baseline_t *baseline = &plan->baselines [index];
        if (streq (baseline->indicator, cell->columns [INDICATOR])
        &&  streq (baseline->measure, cell->columns [MEASURE])
        &&  streq (baseline->unit, unit)
        &&  baseline->year == year && baseline->month == month)
            found = baseline;
    }
    const char *expected = cell->columns [EXPECTED];
    char buffer [BM_DECIMAL_STR_MAX];
    if (streq (expected, EM_DASH))
        return found? zsys_sprintf ("expected no baseline, plan has %s",
                                    bm_decimal_format (found->value, buffer)): NULL;
    if (!found)
        return zsys_sprintf ("no baseline for %04d-%02d", year, month);
    if (!s_decimal_equal (expected, true, found->value))
        return zsys_sprintf ("expected %s, plan has %s", expected,
                             bm_decimal_format (found->value, buffer));
    return NULL;
}

static char *
s_check_holiday (const bm_plan_t *plan, const cell_t *cell)
{
    const char *field = cell->columns [FIELD];
    const char *colon = strchr (field, ':');
    bm_date_t date;
    if (*cell->columns [INDICATOR] || *cell->columns [MEASURE] || *cell->columns [UNIT])
        return zsys_sprintf ("a holiday has no indicator, measure or unit");
    if (!colon || bm_date_parse (colon + 1, &date, NULL) != 0)
        return zsys_sprintf ("holiday field \"%s\" is not kind:YYYY-MM-DD or "
                             "name:YYYY-MM-DD", field);
    const bm_plan_holiday_t *found = NULL;
    for (size_t index = 0; index < plan->holiday_count; index++)
        if (bm_date_cmp (plan->holidays [index].date, date) == 0)
            found = &plan->holidays [index];
    const char *expected = cell->columns [EXPECTED];
    if (streq (expected, EM_DASH))
        return found? zsys_sprintf ("expected no such day, plan has a %s",
                                    found->working? "workday": "holiday"): NULL;
    if (!found)
        return zsys_sprintf ("no day %s in holidays.csv", colon + 1);
    const char *actual = strncmp (field, "kind:", 5) == 0
                       ? (found->working? "workday": "holiday")
                       : strncmp (field, "name:", 5) == 0? found->name: NULL;
    if (!actual)
        return zsys_sprintf ("unknown holiday field \"%s\"", field);
    if (!streq (actual, expected))
        return zsys_sprintf ("expected \"%s\", plan has \"%s\"", expected, actual);
    return NULL;
}

static char *
s_check_plan (const bm_plan_t *plan, const cell_t *cell)
{
    if (*cell->columns [INDICATOR] || *cell->columns [MEASURE] || *cell->columns [UNIT])
        return zsys_sprintf ("a plan field has no indicator, measure or unit");
    char *field = strdup (cell->columns [FIELD]);
    bool contains = s_strip_contains (field);
    char number [16];
    const char *actual = NULL;
    if (streq (field, "title"))
        actual = plan->header.title;
    else
    if (streq (field, "documents"))
        actual = plan->header.documents;
    else
    if (streq (field, "district_name"))
        actual = plan->header.district_name;
    else
    if (streq (field, "forecast_day") || streq (field, "final_day")) {
        snprintf (number, sizeof number, "%d", streq (field, "forecast_day")
                  ? plan->header.forecast_day: plan->header.final_day);
        actual = number;
    }
    char *problem = NULL;
    if (!actual)
        problem = zsys_sprintf ("unknown plan field \"%s\"", field);
    else
    if (!s_text_matches (actual, cell->columns [EXPECTED], contains))
        problem = zsys_sprintf ("expected %s\"%s\", plan has \"%s\"",
                                contains? "a text holding ": "", cell->columns [EXPECTED],
                                actual);
    free (field);
    return problem;
}

//  Split a line of the TSV in place; false if it is not 7 columns
static bool
s_split (char *line, cell_t *cell)
{
    size_t length = strlen (line);
    while (length && (line [length - 1] == '\n' || line [length - 1] == '\r'))
        line [--length] = '\0';
    int count = 0;
    char *start = line;
    while (true) {
        cell->columns [count++] = start;
        char *tab = strchr (start, '\t');
        if (!tab)
            break;
        if (count == 7)
            return false;
        *tab = '\0';
        start = tab + 1;
    }
    return count == 7;
}

static void
test_plan_cells (void **state)
{
    shipped_t *self = (shipped_t *) *state;
    char *path = zsys_sprintf ("%s/tests/data/plan_cells.tsv", self->source);
    FILE *file = fopen (path, "r");
    if (!file)
        fail_msg ("cannot open %s", path);
    free (path);

    char buffer [8192];
    int line = 0;
    size_t checked = 0;
    size_t mismatches = 0;
    while (fgets (buffer, sizeof (buffer), file)) {
        line++;
        cell_t cell = { .line = line };
        if (buffer [0] == '#' || buffer [0] == '\n' || buffer [0] == '\r'
        ||  strncmp (buffer, "plan\ttable\t", 11) == 0)
            continue;
        char *problem = NULL;
        const bm_plan_t *plan = NULL;
        if (!s_split (buffer, &cell))
            problem = zsys_sprintf ("not 7 tab-separated columns");
        else
        if (!(plan = (const bm_plan_t *) zhashx_lookup (self->plans, cell.columns [PLAN])))
            problem = zsys_sprintf ("no parsed plan \"%s\"", cell.columns [PLAN]);
        else
        if (streq (cell.columns [TABLE], "target"))
            problem = s_check_target (plan, &cell);
        else
        if (streq (cell.columns [TABLE], "milestone"))
            problem = s_check_milestone (plan, &cell);
        else
        if (streq (cell.columns [TABLE], "task"))
            problem = s_check_task (plan, &cell);
        else
        if (streq (cell.columns [TABLE], "indicator"))
            problem = s_check_indicator (plan, &cell);
        else
        if (streq (cell.columns [TABLE], "baseline"))
            problem = s_check_baseline (plan, &cell);
        else
        if (streq (cell.columns [TABLE], "holiday"))
            problem = s_check_holiday (plan, &cell);
        else
        if (streq (cell.columns [TABLE], "plan"))
            problem = s_check_plan (plan, &cell);
        else
            problem = zsys_sprintf ("unknown table \"%s\"", cell.columns [TABLE]);
        checked++;
        if (problem) {
            mismatches++;
            print_message ("plan_cells.tsv:%d: %s %s %s/%s/%s %s: %s\n", line,
                           cell.columns [PLAN], cell.columns [TABLE],
                           cell.columns [INDICATOR], cell.columns [MEASURE],
                           cell.columns [UNIT], cell.columns [FIELD], problem);
            free (problem);
        }
    }
    fclose (file);
    print_message ("%zu cells checked, %zu mismatches\n", checked, mismatches);
    assert_true (checked > 0);
    assert_int_equal (mismatches, 0);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_shipped_plans_parse),
        cmocka_unit_test (test_every_indicator_has_a_kind),
        cmocka_unit_test (test_months_measured),
        cmocka_unit_test (test_stock_counts_are_levels),
        cmocka_unit_test (test_milestones_as_placed),
        cmocka_unit_test (test_plan_cells),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
