/*  bm_plan_refer: references from a row of a plan to what the plan
    defines, its units and its indicators, and the duplicates of a file.

    When units.csv or indicators.csv could not be read, references to it
    are not checked: its own problem is reported once, not again on every
    row that refers to it.
*/

#include "bm_plan_private.h"
#include "bm_i18n.h"

#include <assert.h>
#include <stdint.h>
#include <string.h>

char *
bm_plan_measure_list (const bm_plan_t *plan, const char *code)
{
    zchunk_t *list = zchunk_new (NULL, 0);
    int listed = 0;
    for (size_t index = 0; index < plan->indicator_count; index++) {
        const bm_plan_indicator_t *indicator = &plan->indicators [index];
        if (!streq (indicator->code, code) || !*indicator->measure)
            continue;
        if (listed == 8) {
            zchunk_extend (list, ", …", strlen (", …"));
            break;
        }
        if (listed++)
            zchunk_extend (list, ", ", 2);
        zchunk_extend (list, indicator->measure, strlen (indicator->measure));
    }
    char *text = zchunk_strdup (list);
    zchunk_destroy (&list);
    return text;
}

char *
bm_plan_measure_phrase (const char *measure)
{
    char *phrase = *measure? zsys_sprintf (_(" measure \"%s\""), measure): strdup ("");
    assert (phrase);
    return phrase;
}

const bm_plan_indicator_t *
bm_plan_refer_indicator (bm_plan_table_t *table, int code_column, int measure_column,
                         const char *code, const char *measure)
{
    bm_plan_parser_t *parser = table->parser;
    if (!parser->indicators_known || !*code || !bm_plan_table_usable (table, code_column))
        return NULL;
    bm_plan_code_t *info = (bm_plan_code_t *) zhashx_lookup (parser->codes, code);
    if (!info) {
        bm_plan_table_fail (table, code_column,
                            _("indicator \"%s\" is not in indicators.csv: add it there "
                            "or correct the code"), code);
        return NULL;
    }
    if (measure_column >= 0 && table->position [measure_column] >= 0
    &&  !bm_plan_table_usable (table, measure_column))
        return NULL;

    if (info->composite && !*measure) {
        char *measures = bm_plan_measure_list (parser->plan, code);
        bm_plan_table_fail (table, measure_column,
                            _("indicator \"%s\" has several measures: name one of %s "
                            "in measure"), code, measures);
        free (measures);
        return NULL;
    }
    if (!info->composite && *measure) {
        bm_plan_table_fail (table, measure_column,
                            _("indicator \"%s\" has a single measure: leave measure "
                            "empty (\"%s\")"), code, measure);
        return NULL;
    }
    char *key = bm_plan_measure_key (code, measure);
    size_t position = (size_t) zhashx_lookup (parser->measures, key);
    free (key);
    if (position == 0 && info->composite) {
        char *measures = bm_plan_measure_list (parser->plan, code);
        bm_plan_table_fail (table, measure_column,
                            _("measure \"%s\" is not a measure of indicator \"%s\": "
                            "use one of %s"), measure, code, measures);
        free (measures);
    }
    return position? &parser->plan->indicators [position - 1]: NULL;
}

void
bm_plan_refer_unit (bm_plan_table_t *table, int column, const char *unit, const char *what)
{
    bm_plan_parser_t *parser = table->parser;
    if (!parser->units_known || !*unit || !bm_plan_table_usable (table, column)
    ||  streq (unit, BM_DISTRICT_UNIT) || zhashx_lookup (parser->units, unit))
        return;
    const char *hint = _("add it there or correct the name");
    if (strstr (unit, "、") || strstr (unit, "，") || strstr (unit, "\xE3\x80\x80"))
        hint = _("separate names with spaces");
    bm_plan_table_fail (table, column, _("%s \"%s\" is not in units.csv: %s"),
                        what, unit, hint);
}

bool
bm_plan_refer_duplicate (bm_plan_table_t *table, zhashx_t *seen, int column,
                         const char *key, const char *what)
{
    int line = (int) (intptr_t) zhashx_lookup (seen, key);
    if (line) {
        bm_plan_table_fail (table, column, _("%s is already on line %d: remove one "
                            "of the rows"), what, line);
        return true;
    }
    zhashx_insert (seen, key, (void *) (intptr_t) table->row->line);
    return false;
}

void *
bm_plan_allocate (size_t rows, size_t size)
{
    return zmalloc ((rows? rows: 1) * size);
}
