/*  bm_loader_plans: the plans, read into the book: districts and their
    units, plans, indicators and their formulas, the current targets,
    milestones and baselines, tasks, rankings, holidays, and the deadlines
    already noted. */

#include "bm_loader_private.h"
#include "bm_reports.h"

#include <string.h>

typedef struct {
    bm_number_t district;       //  the district's working total
    bm_decimal_t sum;           //  the units'
    int scale;
    int units;
} s_total_t;

//  ---------------------------------------------------------------------------
//  Districts, units and plans

static int
s_district (void *arg, bm_rows_t *rows, int row)
{
    bm_loader_t *self = (bm_loader_t *) arg;
    bm_book_add_district (self->book, (int) INT ("id"), TEXT ("code"), TEXT ("name"));
    return 0;
}

typedef struct {
    int id;
    int district_id;
    char *name;
    char *kind;
    int parent_id;              //  0 if none
} s_unit_row_t;

static void
s_unit_row_destroy (s_unit_row_t **row_p)
{
    if (*row_p) {
        free ((*row_p)->name);
        free ((*row_p)->kind);
        free (*row_p);
        *row_p = NULL;
    }
}

static int
s_unit (void *arg, bm_rows_t *rows, int row)
{
    bm_loader_t *self = (bm_loader_t *) arg;
    s_unit_row_t *unit = (s_unit_row_t *) zmalloc (sizeof (s_unit_row_t));
    unit->id = (int) INT ("id");
    unit->district_id = (int) INT ("district_id");
    unit->name = strdup (TEXT ("name"));
    unit->kind = strdup (TEXT ("kind"));
    unit->parent_id = ISNULL ("parent_id")? 0: (int) INT ("parent_id");
    zlistx_add_end (self->rows, unit);
    return 0;
}

//  Gives each district its array of units, in the order of their ids
static int
s_place_units (bm_loader_t *self)
{
    for (s_unit_row_t *row = zlistx_first (self->rows); row; row = zlistx_next (self->rows)) {
        bm_book_district_t *district = bm_book_district_by_id (self->book, row->district_id);
        if (district)
            district->unit_count++;
    }
    zhashx_t *filled = zhashx_new ();
    zhashx_set_destructor (filled, NULL);
    for (s_unit_row_t *row = zlistx_first (self->rows); row; row = zlistx_next (self->rows)) {
        bm_book_district_t *district = bm_book_district_by_id (self->book, row->district_id);
        if (!district)
            continue;
        if (!district->units)
            district->units = bm_arena_alloc (self->arena,
                                              district->unit_count * sizeof (bm_book_unit_t));
        char key [24];
        size_t index = (size_t) zhashx_lookup (filled, bm_loader_id (district->id, key));
        zhashx_update (filled, key, (void *) (index + 1));
        bm_book_unit_t *unit = district->units + index;
        unit->id = row->id;
        unit->name = bm_arena_strdup (self->arena, row->name);
        unit->kind = bm_arena_strdup (self->arena, row->kind);
        unit->parent = -1;
        unit->is_district = streq (row->kind, "district");
        if (unit->is_district)
            district->district_unit = (int) index;
        zhashx_insert (district->unit_index, unit->name, (void *) (index + 1));
        bm_loader_unit_t *ref = bm_arena_alloc (self->arena, sizeof *ref);
        ref->district = district;
        ref->index = (int) index;
        zhashx_insert (self->units, bm_loader_id (row->id, key), ref);
    }
    zhashx_destroy (&filled);
    //  Parents, now that every unit has its index
    for (s_unit_row_t *row = zlistx_first (self->rows); row; row = zlistx_next (self->rows)) {
        char key [24];
        bm_loader_unit_t *unit = zhashx_lookup (self->units, bm_loader_id (row->id, key));
        bm_loader_unit_t *parent = row->parent_id
                             ? zhashx_lookup (self->units, bm_loader_id (row->parent_id, key)): NULL;
        if (unit && parent && parent->district == unit->district)
            unit->district->units [unit->index].parent = parent->index;
    }
    zlistx_purge (self->rows);
    return 0;
}

static int
s_plan (void *arg, bm_rows_t *rows, int row)
{
    bm_loader_t *self = (bm_loader_t *) arg;
    bm_book_district_t *district = bm_book_district_by_id (self->book, (int) INT ("district_id"));
    if (!district || district->district_unit < 0) {
        zsys_error ("plan %s: its district has no 全区 unit", TEXT ("code"));
        return -1;
    }
    bm_book_plan_t *plan = bm_book_add_plan (self->book, district, (int) INT ("id"),
                                             TEXT ("code"), (int) INT ("year"));
    plan->title = bm_arena_strdup (self->arena, TEXT ("title"));
    plan->cycle.forecast_day = (int) INT ("forecast_day");
    plan->cycle.final_day = (int) INT ("final_day");
    bm_deadline_rule_parse (TEXT ("deadline_rule"), &plan->cycle.rule);
    plan->calendar = bm_calendar_new ();
    plan->cycle.calendar = plan->calendar;
    plan->bottom_warned = (int) INT ("bottom_warned");
    char *days = strdup (TEXT ("reminder_days"));
    for (char *day = strtok (days, ","); day && plan->reminder_count < 32;
         day = strtok (NULL, ","))
        plan->reminder_days [plan->reminder_count++] = atoi (day);
    free (days);
    return 0;
}

//  ---------------------------------------------------------------------------
//  Indicators

typedef struct {
    int id;
    int plan_id;
    char *code, *measure, *name, *unit_of_measure, *direction, *kind, *formula, *pace;
    bool additive, may_decrease, may_be_negative;
    int on_track, at_risk, position, through_month, decimals;
    bm_decimal_t plausible_factor;
} s_indicator_row_t;

static void
s_indicator_row_destroy (s_indicator_row_t **row_p)
{
    s_indicator_row_t *row = *row_p;
    if (!row)
        return;
    free (row->code);
    free (row->measure);
    free (row->name);
    free (row->unit_of_measure);
    free (row->direction);
    free (row->kind);
    free (row->formula);
    free (row->pace);
    free (row);
    *row_p = NULL;
}

static int
s_indicator (void *arg, bm_rows_t *rows, int row)
{
    bm_loader_t *self = (bm_loader_t *) arg;
    s_indicator_row_t *indicator = (s_indicator_row_t *) zmalloc (sizeof *indicator);
    indicator->id = (int) INT ("id");
    indicator->plan_id = (int) INT ("plan_id");
    indicator->code = strdup (TEXT ("code"));
    indicator->measure = strdup (TEXT ("measure"));
    indicator->name = strdup (TEXT ("name"));
    indicator->unit_of_measure = strdup (TEXT ("unit_of_measure"));
    indicator->additive = BOOL ("additive");
    indicator->direction = strdup (TEXT ("direction"));
    indicator->kind = strdup (TEXT ("kind"));
    indicator->formula = strdup (TEXT ("formula"));
    indicator->on_track = (int) INT ("on_track_tenths");
    indicator->at_risk = (int) INT ("at_risk_tenths");
    indicator->pace = strdup (TEXT ("pace"));
    indicator->position = (int) INT ("position");
    indicator->through_month = (int) INT ("through_month");
    indicator->decimals = (int) INT ("decimals");
    bm_decimal_parse (TEXT ("plausible_factor"), &indicator->plausible_factor, NULL);
    indicator->may_decrease = BOOL ("may_decrease");
    indicator->may_be_negative = BOOL ("may_be_negative");
    zlistx_add_end (self->rows, indicator);
    return 0;
}

//  "8.3|16.7|..." of a numeric[]: 12 decimals
static bool
s_pace (const char *text, bm_decimal_t *pace)
{
    if (!*text)
        return false;
    char *copy = strdup (text);
    int month = 0;
    bool ok = true;
    for (char *part = strtok (copy, "|"); part && ok; part = strtok (NULL, "|"))
        ok = month < 12 && bm_decimal_parse (part, pace + month++, NULL) == 0;
    free (copy);
    return ok && month == 12;
}

static int
s_place_indicators (bm_loader_t *self)
{
    for (bm_book_plan_t *plan = bm_book_first_plan (self->book); plan;
         plan = bm_book_next_plan (self->book)) {
        for (s_indicator_row_t *row = zlistx_first (self->rows); row;
             row = zlistx_next (self->rows))
            plan->indicator_count += row->plan_id == plan->id;
        plan->indicators = bm_arena_alloc (self->arena, (plan->indicator_count + 1)
                                                        * sizeof (bm_book_indicator_t));
        size_t index = 0;
        for (s_indicator_row_t *row = zlistx_first (self->rows); row;
             row = zlistx_next (self->rows)) {
            if (row->plan_id != plan->id)
                continue;
            bm_book_indicator_t *indicator = plan->indicators + index;
            indicator->id = row->id;
            indicator->index = (int) index;
            indicator->code = bm_arena_strdup (self->arena, row->code);
            indicator->measure = bm_arena_strdup (self->arena, row->measure);
            indicator->name = bm_arena_strdup (self->arena, row->name);
            indicator->unit_of_measure = bm_arena_strdup (self->arena, row->unit_of_measure);
            indicator->additive = row->additive;
            indicator->direction = streq (row->direction, "lower")
                                 ? BM_LOWER_IS_BETTER: BM_HIGHER_IS_BETTER;
            if (bm_kind_parse (row->kind, &indicator->kind)) {
                zsys_error ("indicator %s: unknown kind \"%s\"", row->code, row->kind);
                return -1;
            }
            indicator->formula = bm_arena_strdup (self->arena, row->formula);
            if (indicator->kind == BM_KIND_RATIO) {
                char error [128];
                indicator->parsed = bm_formula_parse (row->formula, error, sizeof error);
                if (!indicator->parsed)
                    zsys_error ("indicator %s: formula \"%s\": %s", row->code, row->formula,
                                error);
            }
            indicator->thresholds.on_track_tenths = row->on_track;
            indicator->thresholds.at_risk_tenths = row->at_risk;
            indicator->has_pace = s_pace (row->pace, indicator->pace);
            indicator->position = row->position;
            indicator->through_month = row->through_month;
            indicator->decimals = row->decimals;
            indicator->plausible_factor = row->plausible_factor;
            indicator->may_decrease = row->may_decrease;
            indicator->may_be_negative = row->may_be_negative;
            indicator->decomposition = "";
            indicator->slots = bm_arena_alloc (self->arena, (plan->district->unit_count + 1)
                                                            * sizeof (bm_book_slot_t *));
            char key [512];
            snprintf (key, sizeof key, "%s\x1f%s", indicator->code, indicator->measure);
            zhashx_insert (plan->indicator_index, key, (void *) (index + 1));
            char id [24];
            zhashx_insert (self->indicators, bm_loader_id (row->id, id), indicator);
            index++;
        }
    }
    zlistx_purge (self->rows);
    return 0;
}

bm_book_plan_t *
bm_loader_plan_of (bm_loader_t *self, const bm_book_indicator_t *indicator)
{
    for (bm_book_plan_t *plan = bm_book_first_plan (self->book); plan;
         plan = bm_book_next_plan (self->book))
        if (indicator >= plan->indicators && indicator < plan->indicators + plan->indicator_count)
            return plan;
    return NULL;
}

static int *
s_append (bm_arena_t *arena, int *array, size_t *count, int value)
{
    int *grown = bm_arena_alloc (arena, (*count + 1) * sizeof (int));
    if (*count)
        memcpy (grown, array, *count * sizeof (int));
    grown [(*count)++] = value;
    return grown;
}

static int
s_operand (void *arg, bm_rows_t *rows, int row)
{
    bm_loader_t *self = (bm_loader_t *) arg;
    char id [24];
    bm_book_indicator_t *ratio = zhashx_lookup (self->indicators, bm_loader_id (INT ("indicator_id"), id));
    bm_book_indicator_t *operand = zhashx_lookup (self->indicators,
                                                  bm_loader_id (INT ("operand_id"), id));
    if (ratio && operand) {
        ratio->operands = s_append (self->arena, ratio->operands, &ratio->operand_count,
                                    operand->index);
        operand->derived = s_append (self->arena, operand->derived, &operand->derived_count,
                                     ratio->index);
    }
    return 0;
}

//  ---------------------------------------------------------------------------
//  Targets, milestones, baselines

bm_book_slot_t *
bm_loader_slot (bm_loader_t *self, int64_t indicator_id, int64_t unit_id,
                bm_book_indicator_t **found, int *unit_index)
{
    char id [24];
    bm_book_indicator_t *indicator = zhashx_lookup (self->indicators, bm_loader_id (indicator_id, id));
    bm_loader_unit_t *unit = zhashx_lookup (self->units, bm_loader_id (unit_id, id));
    bm_book_plan_t *plan = indicator? bm_loader_plan_of (self, indicator): NULL;
    if (!plan || !unit || unit->district != plan->district)
        return NULL;
    if (found)
        *found = indicator;
    if (unit_index)
        *unit_index = unit->index;
    return bm_book_slot_make (indicator, unit->index);
}

static s_total_t *
s_total (bm_loader_t *self, const bm_book_indicator_t *indicator)
{
    char id [24];
    s_total_t *total = zhashx_lookup (self->totals, bm_loader_id (indicator->id, id));
    if (!total) {
        total = bm_arena_alloc (self->arena, sizeof *total);
        zhashx_insert (self->totals, id, total);
    }
    return total;
}

static int
s_target (void *arg, bm_rows_t *rows, int row)
{
    bm_loader_t *self = (bm_loader_t *) arg;
    bm_book_indicator_t *indicator;
    int unit;
    bm_book_slot_t *slot = bm_loader_slot (self, INT ("indicator_id"), INT ("unit_id"), &indicator,
                                   &unit);
    if (!slot)
        return 0;
    bm_cell_targets_t *targets = &slot->targets;
    const char *role = TEXT ("role");
    const char *kind = TEXT ("kind");
    const char *written = TEXT ("text");
    if (BOOL ("no_target")) {
        targets->no_target = true;
        return 0;
    }
    slot->any_target = true;
    if (streq (role, "working"))
        slot->working_target = true;
    bm_number_t value;
    bool numeric = !ISNULL ("value") && bm_number_parse (TEXT ("value"), &value) == 0;
    if (streq (kind, "growth") && numeric) {
        targets->has_growth = true;
        targets->growth = value.value;
        slot->growth_text = bm_arena_strdup (self->arena, TEXT ("value"));
    }
    else
    if (streq (kind, "qualitative")) {
        slot->words = bm_arena_strdup (self->arena, written);
        targets->has_words = *written != '\0';
        targets->judgement = bm_judgement_parse (written);
    }
    else
    if (streq (role, "assessment") && numeric) {
        targets->has_assessment = true;
        targets->assessment = value.value;
        slot->assessment_text = bm_arena_strdup (self->arena, TEXT ("value"));
    }
    else
    if (numeric && !targets->has_working) {
        targets->has_working = true;
        targets->working = value.value;
        slot->working_text = bm_arena_strdup (self->arena, TEXT ("value"));
        bm_comparator_parse (TEXT ("comparator"), &targets->comparator);
    }
    const char *note = TEXT ("note");
    if (*note)
        slot->note = *slot->note? bm_arena_printf (self->arena, "%s；%s", slot->note, note)
                                : bm_arena_strdup (self->arena, note);
    if (*written && !streq (kind, "qualitative"))
        slot->annotation = *slot->annotation
            ? bm_arena_printf (self->arena, "%s；%s", slot->annotation, written)
            : bm_arena_strdup (self->arena, written);
    //  The decomposition check: units' working totals against the district's
    if (streq (role, "working") && streq (kind, "total") && numeric) {
        s_total_t *total = s_total (self, indicator);
        const bm_book_plan_t *plan = bm_loader_plan_of (self, indicator);
        if (unit == plan->district->district_unit)
            total->district = value;
        else {
            total->sum = bm_decimal_add (total->sum, value.value);
            if (value.scale > total->scale)
                total->scale = value.scale;
            total->units++;
        }
    }
    return 0;
}

static int
s_milestone (void *arg, bm_rows_t *rows, int row)
{
    bm_loader_t *self = (bm_loader_t *) arg;
    bm_book_slot_t *slot = bm_loader_slot (self, INT ("indicator_id"), INT ("unit_id"), NULL, NULL);
    int month = (int) INT ("month");
    if (!slot || month < 1 || month > 12)
        return 0;
    bm_book_milestone_t *milestone = slot->milestones + month - 1;
    milestone->present = true;
    if (!ISNULL ("value"))
        bm_number_parse (TEXT ("value"), &milestone->number);
    milestone->text = bm_arena_strdup (self->arena, TEXT ("text"));
    milestone->none = !milestone->number.present && streq (milestone->text, "/");
    return 0;
}

static int
s_baseline (void *arg, bm_rows_t *rows, int row)
{
    bm_loader_t *self = (bm_loader_t *) arg;
    bm_book_slot_t *slot = bm_loader_slot (self, INT ("indicator_id"), INT ("unit_id"), NULL, NULL);
    int month = (int) INT ("month");
    if (slot && month >= 1 && month <= 12)
        bm_number_parse (TEXT ("value"), slot->baselines + month - 1);
    return 0;
}

//  What follows from the targets: who is expected, what each unit reports,
//  and where the units' targets do not add up to the district's
static void
s_settle_targets (bm_loader_t *self)
{
    for (bm_book_plan_t *plan = bm_book_first_plan (self->book); plan;
         plan = bm_book_next_plan (self->book)) {
        size_t units = plan->district->unit_count + 1;
        plan->reports_expected = bm_arena_alloc (self->arena, units * sizeof (int));
        plan->reports_received = bm_arena_alloc (self->arena, units * sizeof (int [12][2]));
        for (size_t index = 0; index < plan->indicator_count; index++) {
            bm_book_indicator_t *indicator = plan->indicators + index;
            for (size_t unit = 0; unit < plan->district->unit_count; unit++) {
                const bm_book_slot_t *slot = indicator->slots [unit];
                if (!slot || (int) unit == plan->district->district_unit)
                    continue;
                indicator->units_expected += slot->working_target;
                indicator->units_with_target += slot->any_target;
                //  The district's baseline where it has none of its own
                for (int month = 0; month < 12; month++)
                    if (slot->baselines [month].present) {
                        indicator->baseline_sums [month] = bm_decimal_add
                            (indicator->baseline_sums [month], slot->baselines [month].value);
                        indicator->has_baseline_sums [month] = true;
                    }
            }
            char id [24];
            s_total_t *total = zhashx_lookup (self->totals, bm_loader_id (indicator->id, id));
            if (!total || !total->district.present || !total->units
            ||  bm_decimal_cmp (total->sum, total->district.value) == 0)
                continue;
            //  As PostgreSQL writes numeric sums: the largest scale
            int gap_scale = total->scale > total->district.scale? total->scale
                                                                : total->district.scale;
            bm_decimal_t gap = { total->sum.micros - total->district.value.micros };
            char sum [BM_DECIMAL_STR_MAX], district [BM_DECIMAL_STR_MAX];
            char difference [BM_DECIMAL_STR_MAX];
            indicator->decomposition = bm_arena_printf (self->arena,
                "各单位目标合计%s，与全区目标%s相差%s%s",
                bm_decimal_format_fixed (total->sum, total->scale, sum),
                bm_number_format (&total->district, district), gap.micros < 0? "": "+",
                bm_decimal_format_fixed (gap, gap_scale, difference));
        }
        for (size_t index = 0; index < plan->indicator_count; index++)
            for (size_t unit = 0; unit < plan->district->unit_count; unit++)
                plan->reports_expected [unit] +=
                    bm_reports_expected (plan, plan->indicators + index, (int) unit);
    }
}

//  ---------------------------------------------------------------------------
//  Tasks, rankings, holidays

typedef struct {
    int plan_id;
    bm_book_task_t task;
} s_task_row_t;

static int
s_task (void *arg, bm_rows_t *rows, int row)
{
    bm_loader_t *self = (bm_loader_t *) arg;
    s_task_row_t *task = bm_arena_alloc (self->arena, sizeof *task);
    task->plan_id = (int) INT ("plan_id");
    task->task.level = bm_arena_strdup (self->arena, TEXT ("level"));
    task->task.seq = (int) INT ("seq");
    task->task.title = bm_arena_strdup (self->arena, TEXT ("title"));
    task->task.leaders = bm_arena_strdup (self->arena, TEXT ("leaders"));
    task->task.sections = bm_arena_strdup (self->arena, TEXT ("sections"));
    task->task.indicator = bm_arena_strdup (self->arena, TEXT ("indicator_code"));
    task->task.measures = bm_arena_strdup (self->arena, TEXT ("measures"));
    task->task.overall = bm_arena_strdup (self->arena, TEXT ("overall"));
    task->task.beside = bm_arena_strdup (self->arena, TEXT ("beside"));
    task->task.note = bm_arena_strdup (self->arena, TEXT ("note"));
    zlistx_add_end (self->rows, task);
    return 0;
}

static void
s_place_tasks (bm_loader_t *self)
{
    for (bm_book_plan_t *plan = bm_book_first_plan (self->book); plan;
         plan = bm_book_next_plan (self->book)) {
        for (s_task_row_t *row = zlistx_first (self->rows); row; row = zlistx_next (self->rows))
            plan->task_count += row->plan_id == plan->id;
        plan->tasks = bm_arena_alloc (self->arena, (plan->task_count + 1)
                                                   * sizeof (bm_book_task_t));
        size_t index = 0;
        for (s_task_row_t *row = zlistx_first (self->rows); row; row = zlistx_next (self->rows))
            if (row->plan_id == plan->id)
                plan->tasks [index++] = row->task;
    }
    zlistx_purge (self->rows);
}

static int
s_ranking (void *arg, bm_rows_t *rows, int row)
{
    bm_loader_t *self = (bm_loader_t *) arg;
    bm_book_plan_t *plan = bm_book_plan_by_id (self->book, (int) INT ("plan_id"));
    char id [24];
    bm_book_indicator_t *indicator = zhashx_lookup (self->indicators,
                                                    bm_loader_id (INT ("indicator_id"), id));
    if (!plan || !indicator)
        return 0;
    const char *name = TEXT ("name");
    bm_book_ranking_t *ranking = NULL;
    for (size_t index = 0; index < plan->ranking_count; index++)
        if (streq (plan->rankings [index].name, name))
            ranking = plan->rankings + index;
    if (!ranking) {
        bm_book_ranking_t *grown = bm_arena_alloc (self->arena, (plan->ranking_count + 1)
                                                                * sizeof (bm_book_ranking_t));
        if (plan->ranking_count)
            memcpy (grown, plan->rankings, plan->ranking_count * sizeof (bm_book_ranking_t));
        plan->rankings = grown;
        ranking = plan->rankings + plan->ranking_count++;
        ranking->name = bm_arena_strdup (self->arena, name);
        ranking->bottom = (int) INT ("bottom");
    }
    bm_decimal_t *weights = bm_arena_alloc (self->arena, (ranking->count + 1)
                                                          * sizeof (bm_decimal_t));
    if (ranking->count)
        memcpy (weights, ranking->weights, ranking->count * sizeof (bm_decimal_t));
    bm_decimal_parse (TEXT ("weight"), weights + ranking->count, NULL);
    ranking->weights = weights;
    size_t count = ranking->count;
    ranking->indicators = s_append (self->arena, ranking->indicators, &count, indicator->index);
    ranking->count = count;
    return 0;
}

static int
s_holiday (void *arg, bm_rows_t *rows, int row)
{
    bm_loader_t *self = (bm_loader_t *) arg;
    bm_book_plan_t *plan = bm_book_plan_by_id (self->book, (int) INT ("plan_id"));
    bm_date_t day;
    if (plan && bm_date_parse (TEXT ("day"), &day, NULL) == 0)
        bm_calendar_set (plan->calendar, day, BOOL ("working"));
    return 0;
}

static int
s_deadline (void *arg, bm_rows_t *rows, int row)
{
    bm_loader_t *self = (bm_loader_t *) arg;
    bm_book_plan_t *plan = bm_book_plan_by_id (self->book, (int) INT ("plan_id"));
    int month = (int) INT ("month");
    if (plan && month >= 1 && month <= 12)
        plan->noted [month - 1][streq (TEXT ("kind"), "final")] = true;
    return 0;
}

//  ---------------------------------------------------------------------------

char *
bm_loader_id (int64_t id, char *buf)
{
    snprintf (buf, 24, "%lld", (long long) id);
    return buf;
}

int
bm_loader_plans (bm_loader_t *self, PGconn *db)
{
    int rc = bm_store_load (db, BM_LOAD_DISTRICTS, s_district, self);
    if (rc == 0) {
        zlistx_set_destructor (self->rows, (zlistx_destructor_fn *) s_unit_row_destroy);
        rc = bm_store_load (db, BM_LOAD_UNITS, s_unit, self);
        if (rc == 0)
            rc = s_place_units (self);
    }
    if (rc == 0)
        rc = bm_store_load (db, BM_LOAD_PLANS, s_plan, self);
    if (rc == 0) {
        zlistx_set_destructor (self->rows, (zlistx_destructor_fn *) s_indicator_row_destroy);
        rc = bm_store_load (db, BM_LOAD_INDICATORS, s_indicator, self);
        if (rc == 0)
            rc = s_place_indicators (self);
    }
    zlistx_set_destructor (self->rows, NULL);
    if (rc == 0)
        rc = bm_store_load (db, BM_LOAD_OPERANDS, s_operand, self);
    if (rc == 0)
        rc = bm_store_load (db, BM_LOAD_TARGETS, s_target, self);
    if (rc == 0)
        rc = bm_store_load (db, BM_LOAD_MILESTONES, s_milestone, self);
    if (rc == 0)
        rc = bm_store_load (db, BM_LOAD_BASELINES, s_baseline, self);
    if (rc == 0) {
        s_settle_targets (self);
        rc = bm_store_load (db, BM_LOAD_TASKS, s_task, self);
        s_place_tasks (self);
    }
    if (rc == 0)
        rc = bm_store_load (db, BM_LOAD_RANKINGS, s_ranking, self);
    if (rc == 0)
        rc = bm_store_load (db, BM_LOAD_HOLIDAYS, s_holiday, self);
    if (rc == 0)
        rc = bm_store_load (db, BM_LOAD_DEADLINES, s_deadline, self);
    return rc;
}
