/*  bm_book: the districts and their plans as the server holds them. */

#include "bm_book.h"

#include <string.h>

//  Structure of our class

struct _bm_book_t {
    bm_arena_t *arena;          //  every string and array of the plans
    zlistx_t *districts;        //  bm_book_district_t *
    zlistx_t *plans;            //  bm_book_plan_t *
};

static void
s_district_destroy (bm_book_district_t **district_p)
{
    if (*district_p) {
        zhashx_destroy (&(*district_p)->unit_index);
        *district_p = NULL;
    }
}

static void
s_plan_destroy (bm_book_plan_t **plan_p)
{
    bm_book_plan_t *plan = *plan_p;
    if (!plan)
        return;
    for (size_t index = 0; index < plan->indicator_count; index++) {
        bm_book_indicator_t *indicator = plan->indicators + index;
        bm_formula_destroy (&indicator->parsed);
        if (indicator->slots)
            for (size_t unit = 0; unit < plan->district->unit_count; unit++) {
                for (int month = 0; indicator->slots [unit] && month < 12; month++)
                    free (indicator->slots [unit]->months [month].ids);
                free (indicator->slots [unit]);
            }
    }
    zhashx_destroy (&plan->indicator_index);
    bm_calendar_destroy (&plan->calendar);
    *plan_p = NULL;
}

bm_book_t *
bm_book_new (void)
{
    bm_book_t *self = (bm_book_t *) zmalloc (sizeof (bm_book_t));
    self->arena = bm_arena_new ();
    self->districts = zlistx_new ();
    zlistx_set_destructor (self->districts, (zlistx_destructor_fn *) s_district_destroy);
    self->plans = zlistx_new ();
    zlistx_set_destructor (self->plans, (zlistx_destructor_fn *) s_plan_destroy);
    return self;
}

void
bm_book_destroy (bm_book_t **self_p)
{
    assert (self_p);
    bm_book_t *self = *self_p;
    if (!self)
        return;
    zlistx_destroy (&self->plans);
    zlistx_destroy (&self->districts);
    bm_arena_destroy (&self->arena);
    free (self);
    *self_p = NULL;
}

bm_arena_t *
bm_book_arena (bm_book_t *self)
{
    return self->arena;
}

bm_book_district_t *
bm_book_add_district (bm_book_t *self, int id, const char *code, const char *name)
{
    bm_book_district_t *district = bm_arena_alloc (self->arena, sizeof *district);
    district->id = id;
    district->code = bm_arena_strdup (self->arena, code);
    district->name = bm_arena_strdup (self->arena, name);
    district->district_unit = -1;
    district->unit_index = zhashx_new ();
    zhashx_set_destructor (district->unit_index, NULL);
    zhashx_set_duplicator (district->unit_index, NULL);
    zlistx_add_end (self->districts, district);
    return district;
}

bm_book_plan_t *
bm_book_add_plan (bm_book_t *self, bm_book_district_t *district, int id, const char *code,
                  int year)
{
    bm_book_plan_t *plan = bm_arena_alloc (self->arena, sizeof *plan);
    plan->id = id;
    plan->code = bm_arena_strdup (self->arena, code);
    plan->year = year;
    plan->district = district;
    plan->indicator_index = zhashx_new ();
    zhashx_set_destructor (plan->indicator_index, NULL);
    zhashx_set_duplicator (plan->indicator_index, NULL);
    zlistx_add_end (self->plans, plan);
    return plan;
}

bm_book_district_t *
bm_book_district (bm_book_t *self, const char *code)
{
    for (bm_book_district_t *district = zlistx_first (self->districts); district;
         district = zlistx_next (self->districts))
        if (streq (district->code, code))
            return district;
    return NULL;
}

bm_book_district_t *
bm_book_district_by_id (bm_book_t *self, int id)
{
    for (bm_book_district_t *district = zlistx_first (self->districts); district;
         district = zlistx_next (self->districts))
        if (district->id == id)
            return district;
    return NULL;
}

bm_book_plan_t *
bm_book_plan (bm_book_t *self, const bm_book_district_t *district, int year)
{
    for (bm_book_plan_t *plan = zlistx_first (self->plans); plan; plan = zlistx_next (self->plans))
        if (plan->district == district && plan->year == year)
            return plan;
    return NULL;
}

bm_book_plan_t *
bm_book_plan_by_id (bm_book_t *self, int id)
{
    for (bm_book_plan_t *plan = zlistx_first (self->plans); plan; plan = zlistx_next (self->plans))
        if (plan->id == id)
            return plan;
    return NULL;
}

bm_book_plan_t *
bm_book_first_plan (bm_book_t *self)
{
    return (bm_book_plan_t *) zlistx_first (self->plans);
}

bm_book_plan_t *
bm_book_next_plan (bm_book_t *self)
{
    return (bm_book_plan_t *) zlistx_next (self->plans);
}

int
bm_book_unit (const bm_book_district_t *district, const char *name)
{
    size_t found = (size_t) zhashx_lookup (district->unit_index, name);
    return found? (int) found - 1: -1;
}

bm_book_indicator_t *
bm_book_indicator (const bm_book_plan_t *plan, const char *code, const char *measure)
{
    char key [512];
    snprintf (key, sizeof key, "%s\x1f%s", code, measure? measure: "");
    size_t found = (size_t) zhashx_lookup (plan->indicator_index, key);
    return found? plan->indicators + found - 1: NULL;
}

bm_book_slot_t *
bm_book_slot (const bm_book_indicator_t *indicator, int unit)
{
    return unit >= 0 && indicator->slots? indicator->slots [unit]: NULL;
}

bm_book_slot_t *
bm_book_slot_make (bm_book_indicator_t *indicator, int unit)
{
    assert (unit >= 0 && indicator->slots);
    if (!indicator->slots [unit])
        indicator->slots [unit] = (bm_book_slot_t *) zmalloc (sizeof (bm_book_slot_t));
    bm_book_slot_t *slot = indicator->slots [unit];
    if (!slot->working_text) {
        slot->working_text = slot->assessment_text = slot->growth_text = "";
        slot->words = slot->annotation = slot->note = "";
        for (int month = 0; month < 12; month++)
            slot->milestones [month].text = "";
    }
    return slot;
}

const bm_book_figure_t *
bm_book_effective (const bm_book_slot_t *slot, int month)
{
    if (!slot || month < 1 || month > 12)
        return NULL;
    const bm_book_month_t *cell = slot->months + month - 1;
    if (cell->latest [BM_BOOK_FINAL].present)
        return cell->latest + BM_BOOK_FINAL;
    if (cell->latest [BM_BOOK_FORECAST].present)
        return cell->latest + BM_BOOK_FORECAST;
    return NULL;
}

const bm_book_milestone_t *
bm_book_milestone (const bm_book_slot_t *slot, int month, int *milestone_month)
{
    *milestone_month = 0;
    for (int at = month; slot && at >= 1; at--)
        if (slot->milestones [at - 1].present) {
            *milestone_month = at;
            return slot->milestones + at - 1;
        }
    return NULL;
}

bool
bm_book_leads (const bm_book_plan_t *plan, const bm_book_task_t *task, int unit)
{
    const bm_book_district_t *district = plan->district;
    for (size_t other = 0; other < district->unit_count; other++) {
        if ((int) other != unit && district->units [other].parent != unit)
            continue;
        const char *name = district->units [other].name;
        size_t length = strlen (name);
        for (const char *part = task->sections; *part; ) {
            while (*part == ' ')
                part++;
            size_t size = strcspn (part, " ");
            if (size == length && size && memcmp (part, name, size) == 0)
                return true;
            part += size;
        }
    }
    return false;
}

//  True if `code` is in the "|"-separated list
static bool
s_listed (const char *list, const char *code)
{
    size_t length = strlen (code);
    for (const char *part = list; *part; ) {
        size_t size = strcspn (part, "|");
        if (size == length && memcmp (part, code, size) == 0)
            return true;
        part += size + (part [size] == '|');
    }
    return false;
}

const bm_book_task_t *
bm_book_led_task (const bm_book_plan_t *plan, const char *code, int unit)
{
    for (size_t index = 0; index < plan->task_count; index++) {
        const bm_book_task_t *task = plan->tasks + index;
        if ((streq (task->indicator, code) || s_listed (task->beside, code))
        &&  bm_book_leads (plan, task, unit))
            return task;
    }
    return NULL;
}

char *
bm_number_format (const bm_number_t *number, char *buf)
{
    return bm_decimal_format_fixed (number->value, number->scale, buf);
}

int
bm_number_parse (const char *text, bm_number_t *number)
{
    *number = (bm_number_t) { .present = false };
    if (!text || bm_decimal_parse (text, &number->value, NULL))
        return -1;
    const char *point = strchr (text, '.');
    number->scale = point? (int) strlen (point + 1): 0;
    number->present = true;
    return 0;
}
