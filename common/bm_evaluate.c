/*  bm_evaluate: how each kind of indicator is judged. */

#include "bm_evaluate.h"
#include "bm_i18n.h"

#include <assert.h>
#include <string.h>

//  The largest magnitude a bm_decimal_t may hold, in millionths
#define S_DECIMAL_LIMIT     (BM_DECIMAL_MAX * BM_DECIMAL_SCALE + BM_DECIMAL_SCALE - 1)
//  Tenths of a percent to millionths of a percent
#define S_TENTHS_TO_MICROS  (BM_DECIMAL_SCALE / 10)

//  --------------------------------------------------------------------------
//  numerator / denominator rounded half away from zero; denominator != 0

static bool
s_streq (const char *a, const char *b)
{
    return strcmp (a, b) == 0;
}

static bool
s_in_range (__int128 micros)
{
    return micros >= -S_DECIMAL_LIMIT && micros <= S_DECIMAL_LIMIT;
}

//  (actual / baseline - 1) in tenths of a percent, dividing by the
//  baseline's magnitude so that a shrinking loss reads as growth.
//  The baseline is not zero.
static int64_t
s_change_tenths (bm_decimal_t actual, bm_decimal_t baseline)
{
    __int128 difference = (__int128) actual.micros - baseline.micros;
    __int128 magnitude = baseline.micros < 0? -(__int128) baseline.micros
                                            : (__int128) baseline.micros;
    return (int64_t) bm_decimal_divide (difference * 1000, magnitude);
}

static bm_status_t
s_status_for_rate (int64_t rate_tenths, bm_thresholds_t thresholds)
{
    int on_track = thresholds.on_track_tenths? thresholds.on_track_tenths
                                             : BM_ON_TRACK_TENTHS;
    int at_risk = thresholds.at_risk_tenths? thresholds.at_risk_tenths
                                           : BM_AT_RISK_TENTHS;
    if (rate_tenths >= on_track)
        return BM_STATUS_ON_TRACK;
    if (rate_tenths >= at_risk)
        return BM_STATUS_AT_RISK;
    return BM_STATUS_LAGGING;
}

//  --------------------------------------------------------------------------
//  Kinds and comparators

static const char *s_kind_names [] = {
    "amount", "growth", "ratio", "level", "qualitative", "group"
};
#define S_KINDS (sizeof s_kind_names / sizeof s_kind_names [0])

int
bm_kind_parse (const char *text, bm_kind_t *kind)
{
    assert (kind);
    for (size_t index = 0; text && index < S_KINDS; index++)
        if (s_streq (text, s_kind_names [index])) {
            *kind = (bm_kind_t) index;
            return 0;
        }
    return -1;
}

const char *
bm_kind_name (bm_kind_t kind)
{
    return (size_t) kind < S_KINDS? s_kind_names [kind]: "group";
}

static const char *s_comparator_names [] = { ">=", ">", "=", "<=", "<" };
#define S_COMPARATORS (sizeof s_comparator_names / sizeof s_comparator_names [0])

int
bm_comparator_parse (const char *text, bm_comparator_t *comparator)
{
    assert (comparator);
    for (size_t index = 0; text && index < S_COMPARATORS; index++)
        if (s_streq (text, s_comparator_names [index])) {
            *comparator = (bm_comparator_t) index;
            return 0;
        }
    return -1;
}

const char *
bm_comparator_name (bm_comparator_t comparator)
{
    return (size_t) comparator < S_COMPARATORS? s_comparator_names [comparator]: ">=";
}

//  --------------------------------------------------------------------------
//  Growth

void
bm_evaluate_growth (const bm_growth_input_t *input, bm_growth_t *result)
{
    assert (input);
    assert (result);
    *result = (bm_growth_t) { .status = BM_STATUS_NOT_REPORTED };
    if (!input->has_actual)
        return;
    if (!input->has_baseline || bm_decimal_is_zero (input->baseline)) {
        result->status = BM_STATUS_NO_BASELINE;
        return;
    }
    result->has_growth = true;
    result->growth_tenths = s_change_tenths (input->actual, input->baseline);
    int64_t target_tenths = (int64_t) bm_decimal_divide (input->target_growth.micros,
                                                   S_TENTHS_TO_MICROS);
    result->gap_tenths = result->growth_tenths - target_tenths;

    //  Read both in the better direction: for a lower-is-better indicator a
    //  fall of 3% against a target of 下降3% is what a rise is upwards.
    int sign = input->direction == BM_LOWER_IS_BETTER? -1: 1;
    __int128 achieved = (__int128) sign * result->growth_tenths * S_TENTHS_TO_MICROS;
    __int128 target = (__int128) sign * input->target_growth.micros;
    if (target > 0) {
        result->has_rate = true;
        result->rate_tenths = (int64_t) bm_decimal_divide (achieved * 1000, target);
        result->status = s_status_for_rate (result->rate_tenths, input->thresholds);
    }
    else
    if (achieved >= target)
        result->status = BM_STATUS_ON_TRACK;
    else
    if (achieved >= target - BM_DECIMAL_SCALE)
        result->status = BM_STATUS_AT_RISK;     //  within 1 percentage point
    else
        result->status = BM_STATUS_LAGGING;
}

//  --------------------------------------------------------------------------
//  Level

void
bm_evaluate_level (const bm_level_input_t *input, bm_level_t *result)
{
    assert (input);
    assert (result);
    *result = (bm_level_t) { .status = BM_STATUS_NOT_REPORTED };
    if (!input->has_actual)
        return;
    int order = bm_decimal_cmp (input->actual, input->target);
    bool upwards = true;            //  the comparator's sense
    switch (input->comparator) {
        case BM_CMP_GE: result->met = order >= 0; break;
        case BM_CMP_GT: result->met = order > 0; break;
        case BM_CMP_LE: result->met = order <= 0; upwards = false; break;
        case BM_CMP_LT: result->met = order < 0; upwards = false; break;
        case BM_CMP_EQ:
            upwards = input->direction != BM_LOWER_IS_BETTER;
            result->met = order == 0 || (upwards? order > 0: order < 0);
            break;
    }
    result->has_rate =
        bm_completion_rate (upwards? BM_HIGHER_IS_BETTER: BM_LOWER_IS_BETTER,
                            input->actual, input->target, &result->rate_tenths) == 0;
    if (result->met)
        result->status = BM_STATUS_ON_TRACK;
    else
    if (result->has_rate
    &&  s_status_for_rate (result->rate_tenths, input->thresholds) != BM_STATUS_LAGGING)
        result->status = BM_STATUS_AT_RISK;
    else
        result->status = BM_STATUS_LAGGING;
}

//  --------------------------------------------------------------------------
//  Qualitative: the words

typedef struct {
    const char *word;
    bm_judgement_t judgement;
} s_word_t;

static const s_word_t s_words [] = {
    { "减少",     BM_JUDGE_DECREASE },
    { "下降",     BM_JUDGE_DECREASE },
    { "降低",     BM_JUDGE_DECREASE },
    { "提升",     BM_JUDGE_INCREASE },
    { "提高",     BM_JUDGE_INCREASE },
    { "增加",     BM_JUDGE_INCREASE },
    { "增长",     BM_JUDGE_INCREASE },
    { "改善",     BM_JUDGE_IMPROVE },
    { "保持稳定", BM_JUDGE_STABLE },
    { "基本稳定", BM_JUDGE_STABLE },
    { "稳定",     BM_JUDGE_STABLE },
    { "保持持平", BM_JUDGE_STABLE },
    { "基本持平", BM_JUDGE_STABLE },
    { "持平",     BM_JUDGE_STABLE },
    { "稳中有升", BM_JUDGE_STABLE_OR_INCREASE },
};

//  Longer first, so that 较上年同比 is taken whole
static const char *s_modifiers [] = {
    "较上年同比", "较去年同比", "较上年", "较去年", "同比",
    "有所", "进一步", "持续", "逐步", "稳步"
};

static const char *s_separators [] = {
    " ", "\t", "\r", "\n", "\xE3\x80\x80"       //  U+3000 ideographic space
};

static const char *s_final_marks [] = {
    "\xE3\x80\x82", "\xEF\xBC\x9B", ";", "."    //  。 ；
};

//  If [*start, *end) begins (at_end false) or ends (at_end true) with one of
//  the strings, take it off and return true.
static bool
s_strip (const char **start, const char **end, const char **strings,
         size_t count, bool at_end)
{
    for (size_t index = 0; index < count; index++) {
        size_t length = strlen (strings [index]);
        if ((size_t) (*end - *start) < length)
            continue;
        const char *at = at_end? *end - length: *start;
        if (memcmp (at, strings [index], length) == 0) {
            if (at_end)
                *end -= length;
            else
                *start += length;
            return true;
        }
    }
    return false;
}

//  The judgement one phrase names: modifiers, then a word; -1 if none
static int
s_phrase (const char *start, const char *end)
{
    while (s_strip (&start, &end, s_modifiers,
                    sizeof s_modifiers / sizeof s_modifiers [0], false))
        ;
    for (size_t index = 0; index < sizeof s_words / sizeof s_words [0]; index++) {
        size_t length = strlen (s_words [index].word);
        if ((size_t) (end - start) == length
        &&  memcmp (start, s_words [index].word, length) == 0)
            return (int) s_words [index].judgement;
    }
    return -1;
}

bm_judgement_t
bm_judgement_parse (const char *text)
{
    if (!text)
        return BM_JUDGE_REPORTED;
    const char *start = text;
    const char *end = text + strlen (text);
    size_t separators = sizeof s_separators / sizeof s_separators [0];
    while (s_strip (&start, &end, s_separators, separators, false))
        ;
    while (s_strip (&start, &end, s_separators, separators, true)
       ||  s_strip (&start, &end, s_final_marks,
                    sizeof s_final_marks / sizeof s_final_marks [0], true))
        ;
    //  保持稳定或有所提升: a stable word, 或, an increase
    const char *or = NULL;
    for (const char *at = start; at + 3 <= end && !or; at++)
        if (memcmp (at, "或", 3) == 0)
            or = at;
    if (or)
        return s_phrase (start, or) == BM_JUDGE_STABLE
            && s_phrase (or + 3, end) == BM_JUDGE_INCREASE
             ? BM_JUDGE_STABLE_OR_INCREASE: BM_JUDGE_REPORTED;
    int judgement = s_phrase (start, end);
    return judgement < 0? BM_JUDGE_REPORTED: (bm_judgement_t) judgement;
}

const char *
bm_judgement_name (bm_judgement_t judgement)
{
    switch (judgement) {
        case BM_JUDGE_DECREASE:             return "decrease";
        case BM_JUDGE_INCREASE:             return "increase";
        case BM_JUDGE_IMPROVE:              return "improve";
        case BM_JUDGE_STABLE:               return "stable";
        case BM_JUDGE_STABLE_OR_INCREASE:   return "stable_or_increase";
        case BM_JUDGE_REPORTED:             return "reported";
    }
    return "reported";
}

//  --------------------------------------------------------------------------
//  Qualitative: the test

static bool
s_qualitative_met (bm_judgement_t judgement, bm_direction_t direction,
                   bm_decimal_t actual, bm_decimal_t baseline)
{
    int order = bm_decimal_cmp (actual, baseline);
    //  Within 2% of the baseline: |actual - baseline| * 50 <= |baseline|
    __int128 difference = (__int128) actual.micros - baseline.micros;
    __int128 magnitude = baseline.micros < 0? -(__int128) baseline.micros
                                            : (__int128) baseline.micros;
    switch (judgement) {
        case BM_JUDGE_DECREASE:
            return order < 0;
        case BM_JUDGE_INCREASE:
            return order > 0;
        case BM_JUDGE_IMPROVE:
            return direction == BM_LOWER_IS_BETTER? order < 0: order > 0;
        case BM_JUDGE_STABLE:
            return (difference < 0? -difference: difference) * 50 <= magnitude;
        case BM_JUDGE_STABLE_OR_INCREASE:
            return difference * 50 >= -magnitude;
        case BM_JUDGE_REPORTED:
            break;
    }
    return false;
}

void
bm_evaluate_qualitative (const bm_qualitative_input_t *input,
                         bm_qualitative_t *result)
{
    assert (input);
    assert (result);
    *result = (bm_qualitative_t) { .status = BM_STATUS_NOT_REPORTED };
    if (input->has_actual && input->has_baseline
    &&  !bm_decimal_is_zero (input->baseline)) {
        result->has_change = true;
        result->change_tenths = s_change_tenths (input->actual, input->baseline);
    }
    if (input->judgement != BM_JUDGE_REPORTED && input->has_baseline) {
        result->judged = true;
        if (input->has_actual) {
            result->met = s_qualitative_met (input->judgement, input->direction,
                                             input->actual, input->baseline);
            result->status = result->met? BM_STATUS_ON_TRACK: BM_STATUS_LAGGING;
        }
        return;
    }
    switch (input->reported) {
        case BM_REPORTED_DONE:
            result->met = true;
            result->status = BM_STATUS_ON_TRACK;
            break;
        case BM_REPORTED_IN_PROGRESS:
            result->status = BM_STATUS_AT_RISK;
            break;
        case BM_REPORTED_NOT_STARTED:
            result->status = BM_STATUS_LAGGING;
            break;
        case BM_REPORTED_NONE:
            break;
    }
}

//  --------------------------------------------------------------------------
//  Text milestones

bm_status_t
bm_evaluate_text_milestone (int milestone_month, int month, bm_reported_t reported)
{
    if (reported == BM_REPORTED_DONE)
        return BM_STATUS_ON_TRACK;
    return month > milestone_month? BM_STATUS_LAGGING: BM_STATUS_AT_RISK;
}

//  --------------------------------------------------------------------------
//  Composite tasks

int
bm_overall_parse (const char *text, bm_overall_t *overall)
{
    assert (overall);
    if (!text || s_streq (text, "") || s_streq (text, "worst"))
        *overall = BM_OVERALL_WORST;
    else
    if (s_streq (text, "average"))
        *overall = BM_OVERALL_AVERAGE;
    else
        return -1;
    return 0;
}

const char *
bm_overall_name (bm_overall_t overall)
{
    return overall == BM_OVERALL_AVERAGE? "average": "worst";
}

bm_status_t
bm_evaluate_overall (bm_overall_t rule, size_t count,
                     const bm_status_t *statuses, const bool *has_rate,
                     const int64_t *rates, bm_thresholds_t thresholds,
                     bool *has_average, int64_t *average)
{
    assert (statuses || count == 0);
    if (has_average)
        *has_average = false;
    if (average)
        *average = 0;
    bm_status_t worst = BM_STATUS_NO_TARGET;
    for (size_t index = 0; index < count; index++)
        if (bm_status_severity (statuses [index]) > bm_status_severity (worst))
            worst = statuses [index];
    if (rule != BM_OVERALL_AVERAGE || !has_rate || !rates)
        return worst;

    __int128 sum = 0;
    size_t rated = 0;
    for (size_t index = 0; index < count; index++)
        if (has_rate [index]) {
            sum += rates [index];
            rated++;
        }
    if (rated == 0)
        return worst;
    int64_t mean = (int64_t) bm_decimal_divide (sum, rated);
    if (has_average)
        *has_average = true;
    if (average)
        *average = mean;
    return s_status_for_rate (mean, thresholds);
}

int
bm_status_severity (bm_status_t status)
{
    switch (status) {
        case BM_STATUS_LAGGING:      return 7;
        case BM_STATUS_NOT_REPORTED: return 6;
        case BM_STATUS_PARTIAL:      return 5;
        case BM_STATUS_AT_RISK:      return 4;
        case BM_STATUS_ON_TRACK:     return 3;
        case BM_STATUS_NO_BASELINE:  return 2;
        case BM_STATUS_NO_MILESTONE: return 1;
        case BM_STATUS_NO_TARGET:    return 0;
    }
    return 0;
}

//  --------------------------------------------------------------------------
//  Pace and projection

int
bm_pace_parse (const char *text, bm_decimal_t curve [12], const char **error)
{
    assert (curve);
    const char *dummy;
    if (!error)
        error = &dummy;
    if (!text || !*text) {
        *error = _("pace is empty: give 12 cumulative percentages separated by '|'");
        return -1;
    }
    size_t separators = 0;
    for (const char *at = text; *at; at++)
        separators += *at == '|';
    if (separators != 11) {
        *error = separators < 11
               ? _("pace has fewer than 12 values: give one cumulative percentage a month")
               : _("pace has more than 12 values: give one cumulative percentage a month");
        return -1;
    }
    bm_decimal_t values [12];
    const bm_decimal_t hundred = { 100 * BM_DECIMAL_SCALE };
    const char *start = text;
    for (int month = 0; month < 12; month++) {
        const char *end = strchr (start, '|');
        if (!end)
            end = start + strlen (start);
        while (start < end && (*start == ' ' || *start == '\t'))
            start++;
        while (end > start && (end [-1] == ' ' || end [-1] == '\t'))
            end--;
        char field [BM_DECIMAL_STR_MAX] = "";
        size_t length = (size_t) (end - start);
        if (length < sizeof field) {
            memcpy (field, start, length);
            field [length] = '\0';
        }
        if (length >= sizeof field
        ||  bm_decimal_parse (field, &values [month], NULL) != 0) {
            *error = _("a pace value is not a plain decimal percentage (5, 12.5)");
            return -1;
        }
        if (values [month].micros < 0 || bm_decimal_cmp (values [month], hundred) > 0) {
            *error = _("a pace value is outside 0..100");
            return -1;
        }
        if (month > 0 && bm_decimal_cmp (values [month], values [month - 1]) < 0) {
            *error = _("pace decreases from one month to the next: the values are cumulative");
            return -1;
        }
        start = strchr (start, '|');
        start = start? start + 1: end;
    }
    if (bm_decimal_cmp (values [11], hundred) != 0) {
        *error = _("pace must reach 100 in December");
        return -1;
    }
    memcpy (curve, values, sizeof values);
    return 0;
}

bm_decimal_t
bm_pace_expected (bm_decimal_t target, const bm_decimal_t *curve, int month)
{
    assert (month >= 1 && month <= 12);
    if (!curve)
        return bm_completion_pace (target, month);
    __int128 product = (__int128) target.micros * curve [month - 1].micros;
    bm_decimal_t expected = {
        (int64_t) bm_decimal_divide (product, (__int128) 100 * BM_DECIMAL_SCALE)
    };
    return expected;
}

bool
bm_evaluate_projection (bm_decimal_t actual, int month, bool has_seasonal,
                        bm_decimal_t baseline_month, bm_decimal_t baseline_december,
                        bm_decimal_t *projection)
{
    assert (projection);
    if (month < 1 || month > 12)
        return false;
    __int128 micros;
    if (month == 12)
        micros = actual.micros;
    else
    if (has_seasonal && !bm_decimal_is_zero (baseline_month))
        micros = bm_decimal_divide ((__int128) actual.micros * baseline_december.micros,
                              baseline_month.micros);
    else
        micros = bm_decimal_divide ((__int128) actual.micros * 12, month);
    if (!s_in_range (micros))
        return false;
    projection->micros = (int64_t) micros;
    return true;
}
