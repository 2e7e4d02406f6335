/*  bm_alert_rules: when an alert fires, at what severity, and when it
    clears. Tables of cases worked out by hand from deploy/plans/README.md
    ("Alerts") and bm_alert_rules.h. The cells the rules read are judged by
    bm_cell_judge from small facts, so each case says in words what the
    cell is (an amount at 95% of its milestone, a text milestone past its
    month), and the case checks that the cell is what it says first. */

#include "bm_alert_rules.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

static bm_decimal_t
s_d (const char *text)
{
    bm_decimal_t value;
    assert_int_equal (bm_decimal_parse (text, &value, NULL), 0);
    return value;
}

#define S_COUNT(array) (sizeof (array) / sizeof (array) [0])

#define S_NONE      BM_SEVERITY_NONE
#define S_INFO      BM_SEVERITY_INFO
#define S_WARN      BM_SEVERITY_WARNING
#define S_CRIT      BM_SEVERITY_CRITICAL

#define S_ON        BM_STATUS_ON_TRACK
#define S_RISK      BM_STATUS_AT_RISK
#define S_LAG       BM_STATUS_LAGGING
#define S_NR        BM_STATUS_NOT_REPORTED
#define S_NT        BM_STATUS_NO_TARGET
#define S_NB        BM_STATUS_NO_BASELINE
#define S_NM        BM_STATUS_NO_MILESTONE
#define S_PA        BM_STATUS_PARTIAL

//  Expected decisions: NULL the rule does not apply (leave the alert as it
//  is), "" it applies and says NONE (cleared, or nothing to fire), else the
//  severity's name
#define S_LEAVE     NULL
#define S_CLEAR     ""

//  --------------------------------------------------------------------------
//  Cells to decide on

typedef enum {
    S_RATE,             //  amount: June milestone 100 (target 200), actual = the rate
    S_LOWER,            //  lower is better: milestone 100, rate 100 / actual
    S_LEVEL,            //  level >= 100, rate = actual
    S_GROWTH,           //  growth target 10% on last year's 100, actual the figure
    S_TEXT,             //  text milestone of March; the case's month and report
    S_UNREPORTED,       //  amount with a June milestone of 100, no figure
    S_DASH,             //  amount whose target is "—", with a figure
    S_GROUP,            //  a heading, with a figure
    S_NO_BASELINE,      //  growth target 10%, a figure, last year unknown
    S_QUALITATIVE,      //  社会知晓度提高: judged by the case's report
    S_PROJECT,          //  amount with annual target 100, the case's month, no milestone
    S_PROJECT_LOWER,    //  the same, lower is better (a ceiling)
    S_PROJECT_ZERO,     //  the same with an annual target of 0
    S_NO_MILESTONE,     //  amount whose month is marked "/"
    S_PARTIAL           //  the district's sum of the units reported so far, June
                        //  milestone 100 (target 200)
} s_shape_t;

typedef struct {
    s_shape_t shape;
    const char *actual;         //  NULL: not reported
    int month;                  //  0: June
    bm_reported_t reported;
    bm_thresholds_t thresholds;
} s_cell_spec_t;

//  A cell with its figure; in a month; with per-indicator thresholds (on
//  track, at risk, in tenths of a percent); with a status reported
#define S_CELL(shape_, actual_) { .shape = (shape_), .actual = (actual_) }
#define S_CELL_M(shape_, actual_, month_) \
    { .shape = (shape_), .actual = (actual_), .month = (month_) }
#define S_CELL_T(shape_, actual_, on_track_, at_risk_) \
    { .shape = (shape_), .actual = (actual_), \
      .thresholds = { .on_track_tenths = (on_track_), .at_risk_tenths = (at_risk_) } }
#define S_CELL_R(shape_, month_, reported_) \
    { .shape = (shape_), .month = (month_), .reported = (reported_) }

static void
s_cell (const s_cell_spec_t *spec, bm_cell_t *cell)
{
    bm_cell_facts_t facts = {
        .month = spec->month? spec->month: 6, .kind = BM_KIND_AMOUNT,
        .thresholds = spec->thresholds, .reported = spec->reported
    };
    bm_cell_targets_t *targets = &facts.targets;
    switch (spec->shape) {
        case S_LOWER:
            facts.direction = BM_LOWER_IS_BETTER;
            //  fall through
        case S_RATE:
        case S_UNREPORTED:
        case S_PARTIAL:
            facts.partial = spec->shape == S_PARTIAL;
            targets->has_working = true;
            targets->working = s_d ("200");
            facts.milestone_month = facts.month;
            facts.milestone_has_value = true;
            facts.milestone = s_d ("100");
            break;
        case S_LEVEL:
            facts.kind = BM_KIND_LEVEL;
            targets->has_working = true;
            targets->working = s_d ("100");
            targets->comparator = BM_CMP_GE;
            break;
        case S_GROWTH:
        case S_NO_BASELINE:
            facts.kind = BM_KIND_GROWTH;
            targets->has_growth = true;
            targets->growth = s_d ("10");
            facts.has_baseline = spec->shape == S_GROWTH;
            facts.baseline = s_d ("100");
            break;
        case S_TEXT:
            facts.milestone_month = 3;
            break;
        case S_NO_MILESTONE:
            targets->has_working = true;
            targets->working = s_d ("26");
            facts.no_milestone = true;
            break;
        case S_DASH:
            targets->no_target = true;
            break;
        case S_GROUP:
            facts.kind = BM_KIND_GROUP;
            break;
        case S_QUALITATIVE:
            facts.kind = BM_KIND_QUALITATIVE;
            targets->has_words = true;
            targets->judgement = bm_judgement_parse ("社会知晓度提高");
            break;
        case S_PROJECT_LOWER:
            facts.direction = BM_LOWER_IS_BETTER;
            //  fall through
        case S_PROJECT:
        case S_PROJECT_ZERO:
            targets->has_working = true;
            targets->working = s_d (spec->shape == S_PROJECT_ZERO? "0": "100");
            break;
    }
    if (spec->actual) {
        facts.has_actual = true;
        facts.actual = s_d (spec->actual);
    }
    bm_cell_judge (&facts, cell);
}

//  The decision as a string: NULL does not apply, else the severity's name
static const char *
s_decision (bm_alert_decision_t decision)
{
    return decision.applies? bm_severity_name (decision.severity): NULL;
}

static void
s_check_decision (const char *name, bm_alert_decision_t decision, const char *expected)
{
    const char *got = s_decision (decision);
    if ((got == NULL) != (expected == NULL)
    ||  (got && strcmp (got, expected) != 0))
        fail_msg ("%s: %s, expected %s", name,
                  got? (*got? got: "cleared"): "does not apply",
                  expected? (*expected? expected: "cleared"): "does not apply");
}

static void
s_check_status (const char *name, const bm_cell_t *cell, bm_status_t expected)
{
    if (cell->status != expected)
        fail_msg ("%s: the cell is %s, the case means %s", name,
                  bm_status_name (cell->status), bm_status_name (expected));
}

//  --------------------------------------------------------------------------
//  Severity names

static void
test_severity_names (void **state)
{
    struct { bm_severity_t severity; const char *name; } cases [] = {
        { S_NONE, "" }, { S_INFO, "info" }, { S_WARN, "warning" }, { S_CRIT, "critical" },
    };
    for (size_t index = 0; index < S_COUNT (cases); index++) {
        assert_string_equal (bm_severity_name (cases [index].severity), cases [index].name);
        bm_severity_t severity = (bm_severity_t) -1;
        assert_int_equal (bm_severity_parse (cases [index].name, &severity), 0);
        assert_int_equal (severity, cases [index].severity);
        //  and round again
        assert_string_equal (bm_severity_name (severity), cases [index].name);
    }
    const char *bad [] = {
        "none", "Warning", "WARNING", "warn", "error", "critical ", " info", "info\n"
    };
    for (size_t index = 0; index < S_COUNT (bad); index++) {
        bm_severity_t severity = S_INFO;
        if (bm_severity_parse (bad [index], &severity) != -1)
            fail_msg ("severity '%s' parsed", bad [index]);
    }
}

//  --------------------------------------------------------------------------
//  Lagging: warning at risk, critical lagging; a point of hysteresis to step
//  down or clear; an overdue report inhibits a new alert

typedef struct {
    const char *name;
    s_cell_spec_t cell;
    bm_status_t status;         //  what the cell is, checked first
    bm_severity_t current;      //  the alert as it fires now
    bool inhibited;             //  an overdue report of the unit and month
    const char *severity;       //  S_LEAVE, S_CLEAR or the severity
} s_lagging_case_t;

static const s_lagging_case_t s_lagging_cases [] = {
    //  Severity by status, nothing firing (default thresholds 100 / 90)
    { "100%: on track, nothing",
      S_CELL (S_RATE, "100"), S_ON, S_NONE, false, S_CLEAR },
    { "120%: on track, nothing",
      S_CELL (S_RATE, "120"), S_ON, S_NONE, false, S_CLEAR },
    { "99.9%: at risk, warning",
      S_CELL (S_RATE, "99.9"), S_RISK, S_NONE, false, "warning" },
    { "90.0%: at risk, warning",
      S_CELL (S_RATE, "90"), S_RISK, S_NONE, false, "warning" },
    { "89.95% reads 90.0: warning",
      S_CELL (S_RATE, "89.95"), S_RISK, S_NONE, false, "warning" },
    { "89.9%: lagging, critical",
      S_CELL (S_RATE, "89.9"), S_LAG, S_NONE, false, "critical" },
    { "40%: lagging, critical",
      S_CELL (S_RATE, "40"), S_LAG, S_NONE, false, "critical" },
    //  100 / 105 = 95.2; 100 / 125 = 80.0
    { "lower: over the ceiling, warning",
      S_CELL (S_LOWER, "105"), S_RISK, S_NONE, false, "warning" },
    { "lower: far over the ceiling, critical",
      S_CELL (S_LOWER, "125"), S_LAG, S_NONE, false, "critical" },
    { "lower: under the ceiling, nothing",
      S_CELL (S_LOWER, "95"), S_ON, S_NONE, false, S_CLEAR },
    { "level >= 100 at 93: warning",
      S_CELL (S_LEVEL, "93"), S_RISK, S_NONE, false, "warning" },
    { "level >= 100 at 100: nothing",
      S_CELL (S_LEVEL, "100"), S_ON, S_NONE, false, S_CLEAR },
    //  8% against 10%: 80.0
    { "growth 8% against 10%: critical",
      S_CELL (S_GROWTH, "108"), S_LAG, S_NONE, false, "critical" },
    //  9.5% against 10%: 95.0
    { "growth 9.5% against 10%: warning",
      S_CELL (S_GROWTH, "109.5"), S_RISK, S_NONE, false, "warning" },

    //  Escalation is at once
    { "warning, now lagging: critical",
      S_CELL (S_RATE, "85"), S_LAG, S_WARN, false, "critical" },
    { "critical, still lagging: critical",
      S_CELL (S_RATE, "80"), S_LAG, S_CRIT, false, "critical" },
    { "warning, still at risk: warning",
      S_CELL (S_RATE, "95"), S_RISK, S_WARN, false, "warning" },

    //  Critical steps down only at the at-risk threshold plus a point (91.0)
    { "critical from 88.4, back at 90.0: stays critical",
      S_CELL (S_RATE, "90"), S_RISK, S_CRIT, false, "critical" },
    { "critical from 88.4, back at 90.5: stays critical",
      S_CELL (S_RATE, "90.5"), S_RISK, S_CRIT, false, "critical" },
    { "critical from 88.4, back at 90.9: stays critical",
      S_CELL (S_RATE, "90.9"), S_RISK, S_CRIT, false, "critical" },
    { "critical from 88.4, back at 90.95 (91.0): warning",
      S_CELL (S_RATE, "90.95"), S_RISK, S_CRIT, false, "warning" },
    { "critical from 88.4, back at 91.0: warning",
      S_CELL (S_RATE, "91"), S_RISK, S_CRIT, false, "warning" },
    { "critical from 88.4, back at 93: warning",
      S_CELL (S_RATE, "93"), S_RISK, S_CRIT, false, "warning" },
    //  Clearing needs the on-track threshold plus a point (101.0)
    { "critical, back at 101.0: clears",
      S_CELL (S_RATE, "101"), S_ON, S_CRIT, false, S_CLEAR },
    { "critical, back at 120: clears",
      S_CELL (S_RATE, "120"), S_ON, S_CRIT, false, S_CLEAR },

    //  Warning hovering at 100%: kept until 101.0
    { "warning at 99.8: warning",
      S_CELL (S_RATE, "99.8"), S_RISK, S_WARN, false, "warning" },
    { "warning at 100.2: warning",
      S_CELL (S_RATE, "100.2"), S_ON, S_WARN, false, "warning" },
    { "warning at 99.8 again: warning",
      S_CELL (S_RATE, "99.8"), S_RISK, S_WARN, false, "warning" },
    { "warning at 100.0: warning",
      S_CELL (S_RATE, "100"), S_ON, S_WARN, false, "warning" },
    { "warning at 100.9: warning",
      S_CELL (S_RATE, "100.9"), S_ON, S_WARN, false, "warning" },
    { "warning at 100.94 (100.9): warning",
      S_CELL (S_RATE, "100.94"), S_ON, S_WARN, false, "warning" },
    { "warning at 101.0: clears",
      S_CELL (S_RATE, "101"), S_ON, S_WARN, false, S_CLEAR },
    { "warning at 100.95 (101.0): clears",
      S_CELL (S_RATE, "100.95"), S_ON, S_WARN, false, S_CLEAR },
    //  Nothing firing: no hysteresis, 100.0 raises nothing
    { "nothing firing at 100.5: nothing",
      S_CELL (S_RATE, "100.5"), S_ON, S_NONE, false, S_CLEAR },
    //  lower: 100 / 99.5 = 100.5 keeps a warning; 100 / 99 = 101.0 clears it
    { "lower, warning at 100.5: warning",
      S_CELL (S_LOWER, "99.5"), S_ON, S_WARN, false, "warning" },
    { "lower, warning at 101.0: clears",
      S_CELL (S_LOWER, "99"), S_ON, S_WARN, false, S_CLEAR },

    //  Thresholds per indicator: on track 90, at risk 80
    { "90/80, nothing firing at 90.0: nothing",
      S_CELL_T (S_RATE, "90", 900, 800), S_ON, S_NONE, false, S_CLEAR },
    { "90/80, at 85: warning",
      S_CELL_T (S_RATE, "85", 900, 800), S_RISK, S_NONE, false, "warning" },
    { "90/80, at 79.9: critical",
      S_CELL_T (S_RATE, "79.9", 900, 800), S_LAG, S_NONE, false, "critical" },
    { "90/80, warning at 90.5: warning",
      S_CELL_T (S_RATE, "90.5", 900, 800), S_ON, S_WARN, false, "warning" },
    { "90/80, warning at 91.0: clears",
      S_CELL_T (S_RATE, "91", 900, 800), S_ON, S_WARN, false, S_CLEAR },
    { "90/80, critical at 80.9: critical",
      S_CELL_T (S_RATE, "80.9", 900, 800), S_RISK, S_CRIT, false, "critical" },
    { "90/80, critical at 81.0: warning",
      S_CELL_T (S_RATE, "81", 900, 800), S_RISK, S_CRIT, false, "warning" },
    //  at risk from 92.5: a critical alert steps down from 93.5
    { "at risk 92.5, critical at 93.4: critical",
      S_CELL_T (S_RATE, "93.4", 0, 925), S_RISK, S_CRIT, false, "critical" },
    { "at risk 92.5, critical at 93.5: warning",
      S_CELL_T (S_RATE, "93.5", 0, 925), S_RISK, S_CRIT, false, "warning" },
    //  at risk from 95: 93 is lagging
    { "at risk 95, critical at 93: critical",
      S_CELL_T (S_RATE, "93", 0, 950), S_LAG, S_CRIT, false, "critical" },
    { "at risk 95, at 93: critical",
      S_CELL_T (S_RATE, "93", 0, 950), S_LAG, S_NONE, false, "critical" },
    //  on track from 105: 102 is at risk, and a warning clears from 106.0
    { "on track 105, at 102: warning",
      S_CELL_T (S_RATE, "102", 1050, 0), S_RISK, S_NONE, false, "warning" },
    { "on track 105, warning at 105.5: warning",
      S_CELL_T (S_RATE, "105.5", 1050, 0), S_ON, S_WARN, false, "warning" },
    { "on track 105, warning at 106: clears",
      S_CELL_T (S_RATE, "106", 1050, 0), S_ON, S_WARN, false, S_CLEAR },

    //  Inhibited by an overdue report: nothing new fires, a firing alert
    //  still updates and clears
    { "inhibited, lagging, nothing firing: nothing",
      S_CELL (S_RATE, "80"), S_LAG, S_NONE, true, S_CLEAR },
    { "inhibited, at risk, nothing firing: nothing",
      S_CELL (S_RATE, "95"), S_RISK, S_NONE, true, S_CLEAR },
    { "inhibited, on track, nothing firing: nothing",
      S_CELL (S_RATE, "100"), S_ON, S_NONE, true, S_CLEAR },
    { "inhibited, a warning escalates: critical",
      S_CELL (S_RATE, "80"), S_LAG, S_WARN, true, "critical" },
    { "inhibited, a warning stays: warning",
      S_CELL (S_RATE, "95"), S_RISK, S_WARN, true, "warning" },
    { "inhibited, a critical stays: critical",
      S_CELL (S_RATE, "80"), S_LAG, S_CRIT, true, "critical" },
    { "inhibited, a critical steps down: warning",
      S_CELL (S_RATE, "95"), S_RISK, S_CRIT, true, "warning" },
    { "inhibited, a critical holds below 91.0: critical",
      S_CELL (S_RATE, "90.5"), S_RISK, S_CRIT, true, "critical" },
    { "inhibited, a warning at 100.5 holds: warning",
      S_CELL (S_RATE, "100.5"), S_ON, S_WARN, true, "warning" },
    { "inhibited, a warning clears at 101.5",
      S_CELL (S_RATE, "101.5"), S_ON, S_WARN, true, S_CLEAR },
    { "inhibited, a critical clears at 101.0",
      S_CELL (S_RATE, "101"), S_ON, S_CRIT, true, S_CLEAR },

    //  Not for text milestones, nor cells without a judgement
    { "text milestone overdue: not this rule",
      S_CELL_R (S_TEXT, 4, BM_REPORTED_IN_PROGRESS), S_LAG, S_NONE, false, S_LEAVE },
    { "text milestone overdue, firing: left as it is",
      S_CELL_R (S_TEXT, 4, BM_REPORTED_NOT_STARTED), S_LAG, S_CRIT, false, S_LEAVE },
    { "text milestone due this month: not this rule",
      S_CELL_R (S_TEXT, 3, BM_REPORTED_IN_PROGRESS), S_RISK, S_NONE, false, S_LEAVE },
    { "text milestone done, firing: left as it is",
      S_CELL_R (S_TEXT, 4, BM_REPORTED_DONE), S_ON, S_WARN, false, S_LEAVE },
    { "not reported: not this rule",
      S_CELL (S_UNREPORTED, NULL), S_NR, S_NONE, false, S_LEAVE },
    { "not reported, warning firing: left as it is",
      S_CELL (S_UNREPORTED, NULL), S_NR, S_WARN, false, S_LEAVE },
    { "not reported, critical firing, inhibited: left as it is",
      S_CELL (S_UNREPORTED, NULL), S_NR, S_CRIT, true, S_LEAVE },
    { "\"—\": no target, not this rule",
      S_CELL (S_DASH, "5"), S_NT, S_NONE, false, S_LEAVE },
    { "group: no target, not this rule",
      S_CELL (S_GROUP, "5"), S_NT, S_NONE, false, S_LEAVE },
    { "growth without last year: not this rule",
      S_CELL (S_NO_BASELINE, "110"), S_NB, S_NONE, false, S_LEAVE },
    //  A critical alert back above the on-track line is held by the
    //  hysteresis, but at warning: it is a point above the at-risk line
    { "critical from 88.4, back at 100.5: held at warning",
      S_CELL (S_RATE, "100.5"), S_ON, S_CRIT, false, "warning" },
    { "critical from 88.4, back at 100.0: held at warning",
      S_CELL (S_RATE, "100"), S_ON, S_CRIT, false, "warning" },
    //  A qualitative target judged by the unit's report is a judged cell:
    //  in progress is at risk, and warned
    { "qualitative judged by report, in progress: warning",
      S_CELL_R (S_QUALITATIVE, 0, BM_REPORTED_IN_PROGRESS), S_RISK, S_NONE, false, "warning" },
    //  Shown, not judged: clears whatever fires, fires nothing
    { "no milestone (\"/\"), critical firing: cleared",
      S_CELL (S_NO_MILESTONE, "1"), S_NM, S_CRIT, false, S_CLEAR },
    { "no milestone (\"/\"), nothing firing: nothing to fire",
      S_CELL (S_NO_MILESTONE, "0"), S_NM, S_NONE, false, S_CLEAR },
    { "partial district sum at 4.7%, nothing firing: nothing to fire",
      S_CELL (S_PARTIAL, "9.4"), S_PA, S_NONE, false, S_CLEAR },
    { "partial district sum, warning firing: cleared",
      S_CELL (S_PARTIAL, "9.4"), S_PA, S_WARN, false, S_CLEAR },
};

//  A definitive figure (a final, or any once the final deadline has
//  passed) is judged as it stands: no hysteresis
static const s_lagging_case_t s_definitive_cases [] = {
    { "definitive: critical from 88.4, back at 100.5: cleared",
      S_CELL (S_RATE, "100.5"), S_ON, S_CRIT, false, S_CLEAR },
    { "definitive: warning, back at 100.0: cleared",
      S_CELL (S_RATE, "100"), S_ON, S_WARN, false, S_CLEAR },
    { "definitive: critical, at 90.5: steps down to warning",
      S_CELL (S_RATE, "90.5"), S_RISK, S_CRIT, false, "warning" },
    { "definitive: warning, at 89.9: critical",
      S_CELL (S_RATE, "89.9"), S_LAG, S_WARN, false, "critical" },
    { "definitive: nothing firing, at 95: warning",
      S_CELL (S_RATE, "95"), S_RISK, S_NONE, false, "warning" },
};

static void
s_check_lagging (const s_lagging_case_t *c, bool definitive)
{
    bm_cell_t cell;
    s_cell (&c->cell, &cell);
    s_check_status (c->name, &cell, c->status);
    s_check_decision (c->name, bm_alert_rule_lagging (&cell, c->cell.thresholds, c->current,
                                                      c->inhibited, definitive),
                      c->severity);
}

static void
test_lagging (void **state)
{
    for (size_t index = 0; index < S_COUNT (s_lagging_cases); index++)
        s_check_lagging (s_lagging_cases + index, false);
}

static void
test_lagging_definitive (void **state)
{
    for (size_t index = 0; index < S_COUNT (s_definitive_cases); index++)
        s_check_lagging (s_definitive_cases + index, true);
}

//  --------------------------------------------------------------------------
//  Trajectory: the year-end projection against the annual target (100 in
//  these cells); warning below 100%, kept from 100.0 to 100.9 while firing

typedef struct {
    const char *name;
    s_cell_spec_t cell;
    const char *vs_projection;  //  what the cell projects, checked first; NULL: none
    bm_severity_t current;
    const char *severity;
} s_trajectory_case_t;

static const s_trajectory_case_t s_trajectory_cases [] = {
    //  December, the last month measured: the projection is the actual and
    //  the lagging rule says it all
    { "December at 95: nothing, the lagging rule says it",
      S_CELL_M (S_PROJECT, "95", 12), "95.0", S_NONE, S_CLEAR },
    { "December at 95, firing since November: cleared",
      S_CELL_M (S_PROJECT, "95", 12), "95.0", S_WARN, S_CLEAR },
    { "December at 100: nothing",
      S_CELL_M (S_PROJECT, "100", 12), "100.0", S_NONE, S_CLEAR },
    //  June: the run rate, actual * 2
    { "June, 47.5 runs to 95: warning",
      S_CELL (S_PROJECT, "47.5"), "95.0", S_NONE, "warning" },
    { "June, 49.95 runs to 99.9: warning",
      S_CELL (S_PROJECT, "49.95"), "99.9", S_NONE, "warning" },
    { "June, 49.975 runs to 99.95, reads 100.0: nothing",
      S_CELL (S_PROJECT, "49.975"), "100.0", S_NONE, S_CLEAR },
    { "June, 50 runs to 100: nothing",
      S_CELL (S_PROJECT, "50"), "100.0", S_NONE, S_CLEAR },
    //  March: 20 * 4 = 80
    { "March, 20 runs to 80: warning",
      S_CELL_M (S_PROJECT, "20", 3), "80.0", S_NONE, "warning" },
    //  Firing: kept below 101.0, cleared from it (June, actual * 2)
    { "firing at 90: warning",
      S_CELL (S_PROJECT, "45"), "90.0", S_WARN, "warning" },
    { "firing at 100.0: kept",
      S_CELL (S_PROJECT, "50"), "100.0", S_WARN, "warning" },
    { "firing at 100.5: kept",
      S_CELL (S_PROJECT, "50.25"), "100.5", S_WARN, "warning" },
    { "firing at 100.9: kept",
      S_CELL (S_PROJECT, "50.45"), "100.9", S_WARN, "warning" },
    { "firing at 100.94 (100.9): kept",
      S_CELL (S_PROJECT, "50.47"), "100.9", S_WARN, "warning" },
    { "firing at 100.95 (101.0): clears",
      S_CELL (S_PROJECT, "50.475"), "101.0", S_WARN, S_CLEAR },
    { "firing at 101.0: clears",
      S_CELL (S_PROJECT, "50.5"), "101.0", S_WARN, S_CLEAR },
    { "firing at 130: clears",
      S_CELL (S_PROJECT, "65"), "130.0", S_WARN, S_CLEAR },
    //  A ceiling: 55 in June runs to 110, 100 / 110 = 90.9
    { "lower: running over the ceiling: warning",
      S_CELL (S_PROJECT_LOWER, "55"), "90.9", S_NONE, "warning" },
    //  45 runs to 90: 100 / 90 = 111.1
    { "lower: running under the ceiling: nothing",
      S_CELL (S_PROJECT_LOWER, "45"), "111.1", S_NONE, S_CLEAR },
    //  No projection against a target: not this rule
    { "not reported: not this rule",
      S_CELL_M (S_PROJECT, NULL, 12), NULL, S_NONE, S_LEAVE },
    { "not reported, firing: left as it is",
      S_CELL_M (S_PROJECT, NULL, 12), NULL, S_WARN, S_LEAVE },
    { "a zero target: no rate, not this rule",
      S_CELL (S_PROJECT_ZERO, "5"), NULL, S_NONE, S_LEAVE },
    { "\"—\": no target, not this rule",
      S_CELL (S_DASH, "5"), NULL, S_NONE, S_LEAVE },
    { "a level: no projection",
      S_CELL (S_LEVEL, "80"), NULL, S_NONE, S_LEAVE },
    { "a growth target: no projection",
      S_CELL (S_GROWTH, "108"), NULL, S_WARN, S_LEAVE },
    { "a text milestone: no projection",
      S_CELL_R (S_TEXT, 4, BM_REPORTED_NONE), NULL, S_NONE, S_LEAVE },
    { "no milestone (\"/\"), firing: cleared",
      S_CELL (S_NO_MILESTONE, "1"), NULL, S_WARN, S_CLEAR },
    { "partial district sum, firing: cleared",
      S_CELL (S_PARTIAL, "9.4"), NULL, S_WARN, S_CLEAR },
};

//  Definitive: no hysteresis above 100%
static const s_trajectory_case_t s_trajectory_definitive_cases [] = {
    { "definitive: 50.2 in June projects 100.4, firing: cleared",
      S_CELL (S_PROJECT, "50.2"), "100.4", S_WARN, S_CLEAR },
    { "definitive: 49.5 in June projects 99.0: warning",
      S_CELL (S_PROJECT, "49.5"), "99.0", S_NONE, "warning" },
};

static void
s_check_trajectory (const s_trajectory_case_t *cases, size_t count, bool definitive)
{
    for (size_t index = 0; index < count; index++) {
        const s_trajectory_case_t *c = cases + index;
        bm_cell_t cell;
        s_cell (&c->cell, &cell);
        char buf [BM_DECIMAL_STR_MAX];
        if (cell.has_vs_projection != (c->vs_projection != NULL)
        ||  (c->vs_projection
             && strcmp (bm_percent_format (cell.vs_projection, buf), c->vs_projection) != 0))
            fail_msg ("%s: the cell projects %s, the case means %s", c->name,
                      cell.has_vs_projection? bm_percent_format (cell.vs_projection, buf)
                                            : "nothing",
                      c->vs_projection? c->vs_projection: "nothing");
        s_check_decision (c->name, bm_alert_rule_trajectory (&cell, c->current, definitive),
                          c->severity);
    }
}

static void
test_trajectory (void **state)
{
    s_check_trajectory (s_trajectory_cases, S_COUNT (s_trajectory_cases), false);
    s_check_trajectory (s_trajectory_definitive_cases,
                        S_COUNT (s_trajectory_definitive_cases), true);
}

//  --------------------------------------------------------------------------
//  Text milestones: as a figure moves them, and at the month's deadline

typedef struct {
    const char *name;
    s_cell_spec_t cell;
    bm_status_t status;
    const char *severity;
} s_text_case_t;

static const s_text_case_t s_text_cases [] = {
    //  March's milestone, judged in April and after: overdue unless done
    { "April, in progress: critical",
      S_CELL_R (S_TEXT, 4, BM_REPORTED_IN_PROGRESS), S_LAG, "critical" },
    { "April, not started: critical",
      S_CELL_R (S_TEXT, 4, BM_REPORTED_NOT_STARTED), S_LAG, "critical" },
    { "December, nothing reported: critical",
      S_CELL_R (S_TEXT, 12, BM_REPORTED_NONE), S_LAG, "critical" },
    { "April, done: cleared",
      S_CELL_R (S_TEXT, 4, BM_REPORTED_DONE), S_ON, S_CLEAR },
    //  In March itself: at risk, which this rule leaves alone
    { "March, done: cleared",
      S_CELL_R (S_TEXT, 3, BM_REPORTED_DONE), S_ON, S_CLEAR },
    { "March, in progress: left as it is",
      S_CELL_R (S_TEXT, 3, BM_REPORTED_IN_PROGRESS), S_RISK, S_LEAVE },
    { "March, nothing reported: left as it is",
      S_CELL_R (S_TEXT, 3, BM_REPORTED_NONE), S_RISK, S_LEAVE },
    //  Not a text milestone
    { "an amount lagging: not this rule",
      S_CELL (S_RATE, "80"), S_LAG, S_LEAVE },
    { "an amount on track: not this rule",
      S_CELL (S_RATE, "100"), S_ON, S_LEAVE },
    { "a qualitative target, not started: not this rule",
      S_CELL_R (S_QUALITATIVE, 0, BM_REPORTED_NOT_STARTED), S_LAG, S_LEAVE },
    { "not reported: not this rule",
      S_CELL (S_UNREPORTED, NULL), S_NR, S_LEAVE },
};

static void
test_text_overdue (void **state)
{
    for (size_t index = 0; index < S_COUNT (s_text_cases); index++) {
        const s_text_case_t *c = s_text_cases + index;
        bm_cell_t cell;
        s_cell (&c->cell, &cell);
        s_check_status (c->name, &cell, c->status);
        s_check_decision (c->name, bm_alert_rule_text_overdue (&cell), c->severity);
    }
}

static void
test_text_deadline (void **state)
{
    struct { const char *name; bm_reported_t reported; const char *severity; } cases [] = {
        { "deadline, nothing reported: critical", BM_REPORTED_NONE, "critical" },
        { "deadline, not started: critical", BM_REPORTED_NOT_STARTED, "critical" },
        { "deadline, in progress: critical", BM_REPORTED_IN_PROGRESS, "critical" },
        { "deadline, done: cleared", BM_REPORTED_DONE, S_CLEAR },
    };
    for (size_t index = 0; index < S_COUNT (cases); index++)
        s_check_decision (cases [index].name,
                          bm_alert_rule_text_deadline (cases [index].reported),
                          cases [index].severity);
}

//  --------------------------------------------------------------------------
//  Reports owed, and the bottom of a ranking

static void
test_report (void **state)
{
    struct {
        const char *name; int missing; bm_severity_t severity; const char *expected;
    } cases [] = {
        { "due, 3 reports owed: info", 3, S_INFO, "info" },
        { "due, 1 report owed: info", 1, S_INFO, "info" },
        { "due, all sent: cleared", 0, S_INFO, S_CLEAR },
        { "overdue, 2 reports owed: warning", 2, S_WARN, "warning" },
        { "overdue, 40 reports owed: warning", 40, S_WARN, "warning" },
        { "overdue, all sent: cleared", 0, S_WARN, S_CLEAR },
        { "critical, 1 owed: critical", 1, S_CRIT, "critical" },
        { "critical, all sent: cleared", 0, S_CRIT, S_CLEAR },
    };
    for (size_t index = 0; index < S_COUNT (cases); index++)
        s_check_decision (cases [index].name,
                          bm_alert_rule_report (cases [index].missing, cases [index].severity),
                          cases [index].expected);
}

static void
test_bottom_rank (void **state)
{
    s_check_decision ("in the bottom 5: warning", bm_alert_rule_bottom_rank (true), "warning");
    s_check_decision ("out of the bottom 5: cleared", bm_alert_rule_bottom_rank (false),
                      S_CLEAR);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_severity_names),
        cmocka_unit_test (test_lagging),
        cmocka_unit_test (test_lagging_definitive),
        cmocka_unit_test (test_trajectory),
        cmocka_unit_test (test_text_overdue),
        cmocka_unit_test (test_text_deadline),
        cmocka_unit_test (test_report),
        cmocka_unit_test (test_bottom_rank),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
