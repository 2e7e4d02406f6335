/*  battlemap simulate: simulated units submit a year of figures.

    For a newcomer to watch the wall fill, and for load: every unit with a
    target sends, month after month, a forecast and then a final figure for
    each of its indicators, and each lead section (牵头科室) the district's
    figures of the tasks it leads that are not decomposed to units, with its
    progress note (进展说明). Each sender keeps its own pace (between 85%
    and 110% of what the month expects, fixed per unit and indicator from
    the seed), so the wall shows units on track, at risk and lagging; a
    cumulative figure never falls below the month before. Text milestones
    get a status, and a count where the task has a numeric target.
    Growth-rate and qualitative targets are left out (they need last year's
    figures), and so are derived indicators, which the server computes.
*/

#include "cli.h"
#include "bm_plan.h"
#include "bm_keys.h"
#include "bm_period.h"
#include "bm_i18n.h"

#include <czmq.h>
#include <getopt.h>
#include <string.h>

static void
s_usage (FILE *out)
{
    fprintf (out,
        _("usage: battlemap simulate --plan DIR [--from M] [--months N] [--pace MSECS]\n"
        "                          [--seed N] [--clock] [--unit-keys DIR]\n"
        "\n"
        "Simulated units of the plan in DIR submit a forecast and a final figure for\n"
        "every indicator they have a target for, month by month from month M\n"
        "(default 1) to month N (default 12),\n"
        "waiting MSECS between months (default 0). The plan must be loaded on the\n"
        "server. Lead sections send the district's figures of the tasks they lead.\n"
        "The figures follow from the seed: running it again sends the same values,\n"
        "answered 'unchanged' (equal to the current value), and stores nothing twice.\n"
        "With --clock (a server started with --test-clock), the simulation moves the\n"
        "server's clock: forecasts go in on the 20th of each month and finals on the\n"
        "5th of the next, so deadlines pass and snapshots are taken as in a real year.\n"
        "Without it, the server must accept figures outside their windows (--backfill).\n"
        "With --unit-keys, each unit sends with its own key DIR/UNIT.cert; a missing\n"
        "one is made and enrolled as the unit's submitter (so our key must be an\n"
        "administrator's). Without it, everything is sent with our key.\n"));
}

typedef struct {
    uint64_t state;             //  xorshift64
} s_random_t;

static uint64_t
s_next (s_random_t *random)
{
    random->state ^= random->state << 13;
    random->state ^= random->state >> 7;
    random->state ^= random->state << 17;
    return random->state;
}

//  Per-mille pace of a unit on an indicator, 850..1100, stable for a seed
static int64_t
s_pace (uint64_t seed, const char *unit, const char *indicator)
{
    s_random_t random = { seed * 2654435761u + 1 };
    for (const char *p = unit; *p; p++)
        random.state = random.state * 31 + (unsigned char) *p;
    for (const char *p = indicator; *p; p++)
        random.state = random.state * 31 + (unsigned char) *p;
    random.state |= 1;
    s_next (&random);
    return 850 + (int64_t) (s_next (&random) % 251);
}

//  The latest milestone at or before `month`: the unit's own, else the district's
static const bm_plan_milestone_t *
s_milestone (const bm_plan_t *plan, const bm_plan_target_t *target, int month)
{
    for (int pass = 0; pass < 2; pass++) {
        const char *unit = pass? BM_DISTRICT_UNIT: target->unit;
        const bm_plan_milestone_t *best = NULL;
        for (size_t index = 0; index < plan->milestone_count; index++) {
            const bm_plan_milestone_t *milestone = plan->milestones + index;
            if (streq (milestone->indicator, target->indicator)
            &&  streq (milestone->measure, target->measure)
            &&  streq (milestone->unit, unit) && milestone->month <= month
            &&  (!best || milestone->month > best->month))
                best = milestone;
        }
        if (best)
            return best;
    }
    return NULL;
}

//  The task whose indicator the target is, NULL if none
static const bm_plan_task_t *
s_task (const bm_plan_t *plan, const bm_plan_target_t *target)
{
    for (size_t index = 0; index < plan->task_count; index++)
        if (streq (plan->tasks [index].indicator, target->indicator))
            return plan->tasks + index;
    return NULL;
}

//  Who sends a target's figures: its unit, or for the district's figure of
//  a task, the task's first lead section; into buf
static const char *
s_sender (const bm_plan_t *plan, const bm_plan_target_t *target, char *buf, size_t size)
{
    const bm_plan_task_t *task = s_task (plan, target);
    if (!streq (target->unit, BM_DISTRICT_UNIT) || !task || !*task->sections)
        return target->unit;
    size_t length = strcspn (task->sections, " ");
    snprintf (buf, size, "%.*s", (int) length, task->sections);
    return buf;
}

//  True for a unit of measure that counts things
static bool
s_is_count (const char *unit_of_measure)
{
    static const char *counts [] = { "个", "家", "户", "项", "人", "幢", "件", "次", NULL };
    for (const char **count = counts; *count; count++)
        if (streq (unit_of_measure, *count))
            return true;
    return false;
}

//  True if some unit other than 全区 has a target for the indicator measure
static bool
s_decomposed (const bm_plan_t *plan, const bm_plan_target_t *target)
{
    for (size_t index = 0; index < plan->target_count; index++) {
        const bm_plan_target_t *other = plan->targets + index;
        if (streq (other->indicator, target->indicator)
        &&  streq (other->measure, target->measure)
        &&  !streq (other->unit, BM_DISTRICT_UNIT) && !other->no_target)
            return true;
    }
    return false;
}

//  True for a numeric working total or level
static bool
s_numeric (const bm_plan_target_t *target)
{
    return !target->no_target && target->has_value && streq (target->role, "working")
        && (streq (target->kind, "total") || streq (target->kind, "level"));
}

//  True for the target whose figure a simulated unit reports, once per
//  indicator measure: a numeric working total or level; else a growth
//  target (an amount is sent, judged against last year's) or a
//  qualitative one (a status). Not derived indicators (computed), not the
//  district's where units carry the indicator (it is their sum).
static bool
s_reported (const bm_plan_t *plan, const bm_plan_target_t *target)
{
    const bm_plan_indicator_t *indicator =
        bm_plan_indicator (plan, target->indicator, target->measure);
    if (!indicator || streq (indicator->kind, "ratio") || streq (indicator->kind, "group")
    ||  target->no_target || !streq (target->role, "working")
    ||  (streq (target->unit, BM_DISTRICT_UNIT) && s_decomposed (plan, target)))
        return false;
    if (s_numeric (target))
        return true;
    if (!streq (target->kind, "growth") && !streq (target->kind, "qualitative"))
        return false;
    //  The first of its unit's targets for the indicator, and none numeric
    for (size_t index = 0; index < plan->target_count; index++) {
        const bm_plan_target_t *other = plan->targets + index;
        if (other == target || !streq (other->indicator, target->indicator)
        ||  !streq (other->measure, target->measure) || !streq (other->unit, target->unit)
        ||  other->no_target || !streq (other->role, "working"))
            continue;
        if (s_numeric (other) || other < target)
            return false;
    }
    return true;
}

//  The reporting units, each with the client it sends with
typedef struct {
    const char **names;
    bm_client_t **clients;      //  the shared client, or the unit's own
    zcert_t **certs;
    size_t count;
} s_units_t;

//  Makes the unit's key and enrols it as the unit's submitter
static int
s_enroll_unit (bm_client_t *admin, const bm_plan_t *plan, const char *dir, const char *unit)
{
    zcert_t *cert = bm_keys_create (dir, unit);
    if (!cert)
        return -1;
    Battlemap__IdentityRequest identity = BATTLEMAP__IDENTITY_REQUEST__INIT;
    identity.action = BATTLEMAP__IDENTITY_ACTION__ENROLL;
    identity.public_key = (char *) zcert_public_txt (cert);
    identity.name = (char *) unit;
    identity.role = "submitter";
    identity.district = plan->header.district;
    char *units [] = { (char *) unit };
    identity.units = units;
    identity.n_units = 1;
    Battlemap__Envelope request = BATTLEMAP__ENVELOPE__INIT;
    request.body_case = BATTLEMAP__ENVELOPE__BODY_IDENTITY;
    request.identity = &identity;
    Battlemap__Envelope *reply = bm_client_request (admin, &request);
    int rc = cli_check_reply ("simulate", reply, BATTLEMAP__ENVELOPE__BODY_IDENTITY_REPLY);
    bm_wire_free (&reply);
    zcert_destroy (&cert);
    return rc < 0? 0: -1;
}

static int
s_units (cli_context_t *context, bm_client_t *shared, const bm_plan_t *plan,
         const char *dir, s_units_t *units)
{
    size_t slots = plan->target_count + 1;
    units->names = zmalloc (slots * sizeof (char *));
    units->clients = zmalloc (slots * sizeof (bm_client_t *));
    units->certs = zmalloc (slots * sizeof (zcert_t *));
    for (size_t index = 0; index < plan->target_count; index++) {
        const bm_plan_target_t *target = plan->targets + index;
        char buf [256];
        const char *sender = s_sender (plan, target, buf, sizeof buf);
        bool known = false;
        for (size_t unit = 0; unit < units->count && !known; unit++)
            known = streq (units->names [unit], sender);
        if (!known && s_reported (plan, target))
            units->names [units->count++] = strdup (sender);
    }
    for (size_t unit = 0; unit < units->count; unit++) {
        units->clients [unit] = shared;
        if (!dir)
            continue;
        char *path = zsys_sprintf ("%s/%s.cert", dir, units->names [unit]);
        if (!zsys_file_exists (path) && s_enroll_unit (shared, plan, dir, units->names [unit])) {
            free (path);
            return CLI_REFUSED;
        }
        units->certs [unit] = bm_keys_load_secret (path);
        free (path);
        if (!units->certs [unit])
            return CLI_USAGE;
        units->clients [unit] = bm_client_new (context->server, units->certs [unit],
                                               context->server_public);
        bm_client_set_timeout (units->clients [unit], context->timeout);
    }
    return CLI_OK;
}

static void
s_units_destroy (s_units_t *units, bm_client_t *shared)
{
    for (size_t unit = 0; unit < units->count; unit++) {
        if (units->clients [unit] != shared)
            bm_client_destroy (&units->clients [unit]);
        zcert_destroy (&units->certs [unit]);
        free ((char *) units->names [unit]);
    }
    free (units->names);
    free (units->clients);
    free (units->certs);
}

//  Moves a test clock to noon of a day of a period
static int
s_set_clock (bm_client_t *client, bm_period_t period, int day)
{
    char when [40];
    snprintf (when, sizeof when, "%04u-%02u-%02uT12:00:00+08:00", (unsigned) period.year % 10000u,
              (unsigned) period.month % 100u, (unsigned) day % 100u);
    Battlemap__ClockRequest clock = BATTLEMAP__CLOCK_REQUEST__INIT;
    clock.set = when;
    Battlemap__Envelope request = BATTLEMAP__ENVELOPE__INIT;
    request.body_case = BATTLEMAP__ENVELOPE__BODY_CLOCK;
    request.clock = &clock;
    Battlemap__Envelope *reply = bm_client_request (client, &request);
    int rc = cli_check_reply ("simulate", reply, BATTLEMAP__ENVELOPE__BODY_CLOCK_REPLY);
    bm_wire_free (&reply);
    return rc < 0? 0: -1;
}

typedef struct {
    Battlemap__Figure figures [1024];
    Battlemap__Figure *pointers [1024];
    char ids [1024][BM_CLIENT_ID_SIZE];
    char values [1024][BM_DECIMAL_STR_MAX];
    char notes [1024][128];
    size_t count;
} s_batch_t;

static int
s_flush (bm_client_t *client, s_batch_t *batch, size_t *created, size_t *unchanged)
{
    if (!batch->count)
        return CLI_OK;
    Battlemap__Envelope *reply = bm_client_submit (client, batch->pointers, batch->count);
    int rc = cli_check_reply ("simulate", reply, BATTLEMAP__ENVELOPE__BODY_SUBMIT_REPLY);
    if (rc < 0) {
        for (size_t index = 0; index < reply->submit_reply->n_receipts; index++)
            if (reply->submit_reply->receipts [index]->outcome
                != BATTLEMAP__RECEIPT_OUTCOME__UNCHANGED)
                (*created)++;
            else
                (*unchanged)++;
        rc = CLI_OK;
    }
    else
    if (rc == CLI_REFUSED && reply->error->index) {
        Battlemap__Figure *figure = batch->figures + reply->error->index - 1;
        fprintf (stderr, _("  (figure %s %s %s %s)\n"), figure->unit, figure->indicator,
                 figure->measure, figure->value);
    }
    bm_wire_free (&reply);
    batch->count = 0;
    return rc;
}

//  The district's numeric milestone at or before the month and the
//  district's target, for a unit's share of it; false if none
static bool
s_district_share (const bm_plan_t *plan, const bm_plan_target_t *target, int month,
                  bm_decimal_t *milestone, bm_decimal_t *whole)
{
    bool found = false;
    for (size_t index = 0; index < plan->target_count && !found; index++) {
        const bm_plan_target_t *district = plan->targets + index;
        found = streq (district->indicator, target->indicator)
             && streq (district->measure, target->measure)
             && streq (district->unit, BM_DISTRICT_UNIT) && district->has_value
             && streq (district->role, "working") && streq (district->kind, "total")
             && district->value.micros > 0;
        if (found)
            *whole = district->value;
    }
    bm_plan_target_t as_district = *target;
    as_district.unit = BM_DISTRICT_UNIT;
    const bm_plan_milestone_t *latest = s_milestone (plan, &as_district, month);
    if (!found || !latest || !latest->has_value)
        return false;
    *milestone = latest->value;
    return true;
}

//  What the month expects of a target, before the sender's pace: its own
//  milestone, its share of the district's, else 序时进度 over the months
//  the indicator is measured in
static int64_t
s_expected (const bm_plan_t *plan, const bm_plan_indicator_t *indicator,
            const bm_plan_target_t *target, int month)
{
    const bm_plan_milestone_t *milestone = s_milestone (plan, target, month);
    bm_decimal_t share, whole;
    if (streq (target->kind, "level"))
        return target->value.micros;                        //  not prorated
    if (milestone && milestone->has_value && streq (milestone->unit, target->unit))
        return milestone->value.micros;
    if (!streq (target->unit, BM_DISTRICT_UNIT)
    &&  s_district_share (plan, target, month, &share, &whole))
        return (int64_t) ((__int128) target->value.micros * share.micros / whole.micros);
    int through = indicator->through_month? indicator->through_month: 12;
    int months = month < through? month: through;
    return target->value.micros / through * months;
}

//  A figure's value before the month before is taken into account: what
//  the month expects, at the sender's pace
static bm_decimal_t
s_raw (const bm_plan_t *plan, const bm_plan_indicator_t *indicator,
       const bm_plan_target_t *target, int month, Battlemap__FigureKind kind, uint64_t seed)
{
    int64_t pace = s_pace (seed, target->unit, target->indicator);
    if (kind == BATTLEMAP__FIGURE_KIND__FINAL)
        pace += (int64_t) (month % 3) * 7 - 7;      //  finals correct the forecast a little
    //  A growth target has no amount to follow (last year's figures are not
    //  in the plan): a made-up cumulative amount
    int64_t micros = streq (target->kind, "growth")
        ? (int64_t) month * 10 * BM_DECIMAL_SCALE / 1000 * pace
        : s_expected (plan, indicator, target, month) / 1000 * pace;
    //  Counts (个, 家, 户…) are whole; amounts keep two decimals
    int64_t step = s_is_count (indicator->unit_of_measure)? BM_DECIMAL_SCALE: 10000;
    return (bm_decimal_t) { micros / step * step };
}

//  Adds the figure of one target for one month, if it has one
static void
s_add (s_batch_t *batch, const bm_plan_t *plan, size_t target_index, const char *period,
       int month, Battlemap__FigureKind kind, uint64_t seed)
{
    const bm_plan_target_t *target = plan->targets + target_index;
    const bm_plan_indicator_t *indicator =
        bm_plan_indicator (plan, target->indicator, target->measure);
    if (!indicator)
        return;
    int64_t pace = s_pace (seed, target->unit, target->indicator);
    if (kind == BATTLEMAP__FIGURE_KIND__FINAL)
        pace += (int64_t) (month % 3) * 7 - 7;      //  finals correct the forecast a little
    const bm_plan_milestone_t *milestone = s_milestone (plan, target, month);
    size_t slot = batch->count;
    Battlemap__Figure *figure = batch->figures + slot;
    battlemap__figure__init (figure);
    bool section = streq (target->unit, BM_DISTRICT_UNIT) && s_task (plan, target);
    //  Text milestones are the sender's own (the district's are its lead section's)
    bool text = milestone && !milestone->has_value && !milestone->none
             && streq (milestone->unit, target->unit);
    if (text) {
        //  A text milestone: report a status
        figure->status = pace >= 1000? BATTLEMAP__MILESTONE_STATUS__DONE
                       : pace >= 900? BATTLEMAP__MILESTONE_STATUS__IN_PROGRESS
                       : BATTLEMAP__MILESTONE_STATUS__NOT_STARTED;
    }
    //  A qualitative target: the unit's report
    if (streq (target->kind, "qualitative")) {
        text = true;
        figure->status = pace >= 950? BATTLEMAP__MILESTONE_STATUS__DONE
                       : BATTLEMAP__MILESTONE_STATUS__IN_PROGRESS;
    }
    //  A number, unless the task is text alone (no numeric target)
    else
    if (!text || target->has_value) {
        bm_decimal_t value = s_raw (plan, indicator, target, month, kind, seed);
        //  A cumulative figure does not fall below the months before
        for (int earlier = 1; earlier < month && !streq (target->kind, "level"); earlier++) {
            bm_decimal_t before = s_raw (plan, indicator, target, earlier,
                                         BATTLEMAP__FIGURE_KIND__FINAL, seed);
            if (before.micros > value.micros)
                value = before;
        }
        bm_decimal_format (value, batch->values [slot]);
        figure->value = batch->values [slot];
    }
    if (section)
        snprintf (batch->notes [slot], sizeof batch->notes [slot], "进展说明（模拟）：%d月%s",
                  month, pace >= 1000? "按节点推进": "略慢于节点，正在协调");
    else
    if (text)
        snprintf (batch->notes [slot], sizeof batch->notes [slot], "模拟：%s",
                  figure->status == BATTLEMAP__MILESTONE_STATUS__DONE? "已完成": "推进中");
    else
        batch->notes [slot][0] = '\0';     //  a figure needs no note
    figure->district = plan->header.district;
    figure->unit = target->unit;
    figure->indicator = target->indicator;
    figure->measure = target->measure;
    figure->period = (char *) period;
    figure->kind = kind;
    figure->note = batch->notes [slot];
    //  A fresh id for each figure sent
    bm_client_new_id (batch->ids [slot]);
    figure->id = batch->ids [slot];
    batch->pointers [slot] = figure;
    batch->count++;
}

int
cli_simulate (cli_context_t *context, int argc, char *argv [])
{
    const char *plan_dir = NULL;
    int from = 1, months = 12, pace = 0;
    bool drive_clock = false;
    const char *unit_keys = NULL;
    uint64_t seed = 2023;
    static const struct option options [] = {
        { "plan", required_argument, NULL, 'P' },
        { "from", required_argument, NULL, 'f' },
        { "months", required_argument, NULL, 'm' },
        { "pace", required_argument, NULL, 'p' },
        { "seed", required_argument, NULL, 's' },
        { "clock", no_argument, NULL, 'c' },
        { "unit-keys", required_argument, NULL, 'k' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    int option;
    while ((option = getopt_long (argc, argv, "", options, NULL)) != -1) {
        switch (option) {
            case 'P': plan_dir = optarg; break;
            case 'f': from = atoi (optarg); break;
            case 'm': months = atoi (optarg); break;
            case 'p': pace = atoi (optarg); break;
            case 's': seed = strtoull (optarg, NULL, 10); break;
            case 'c': drive_clock = true; break;
            case 'k': unit_keys = optarg; break;
            case 'h': s_usage (stdout); return CLI_OK;
            default:  s_usage (stderr); return CLI_USAGE;
        }
    }
    if (!plan_dir || optind < argc || months < 1 || months > 12 || from < 1
    ||  from > months || pace < 0) {
        s_usage (stderr);
        return CLI_USAGE;
    }
    zlist_t *errors = zlist_new ();
    zlist_autofree (errors);
    bm_plan_t *plan = bm_plan_parse_dir (plan_dir, errors);
    if (!plan) {
        fprintf (stderr, _("battlemap simulate: the plan in %s is invalid:\n"), plan_dir);
        for (char *error = zlist_first (errors); error; error = zlist_next (errors))
            fprintf (stderr, "  %s\n", error);
        zlist_destroy (&errors);
        return CLI_USAGE;
    }
    zlist_destroy (&errors);
    bm_client_t *client = cli_connect (context);
    if (!client) {
        bm_plan_destroy (&plan);
        return CLI_USAGE;
    }
    s_units_t units = { 0 };
    int rc = s_units (context, client, plan, unit_keys, &units);
    s_batch_t *batch = zmalloc (sizeof (s_batch_t));
    for (int month = from; month <= months && rc == CLI_OK && !zsys_interrupted; month++) {
        char period [8];
        snprintf (period, sizeof period, "%04u-%02u", (unsigned) plan->header.year % 10000u,
                  (unsigned) month % 100u);
        size_t created = 0, unchanged = 0;
        for (int pass = 0; pass < 2 && rc == CLI_OK; pass++) {
            Battlemap__FigureKind kind = pass? BATTLEMAP__FIGURE_KIND__FINAL
                                             : BATTLEMAP__FIGURE_KIND__FORECAST;
            //  Forecasts on the 20th of the month, finals on the 5th of the next
            bm_period_t period_of = { plan->header.year, month };
            if (drive_clock
            &&  s_set_clock (client, pass? bm_period_add (period_of, 1): period_of, pass? 5: 20))
                rc = CLI_REFUSED;
            //  Unit by unit, each with its own key when it has one
            for (size_t unit = 0; unit < units.count && rc == CLI_OK; unit++) {
                for (size_t index = 0; index < plan->target_count && rc == CLI_OK; index++) {
                    const bm_plan_target_t *target = plan->targets + index;
                    char buf [256];
                    if (streq (s_sender (plan, target, buf, sizeof buf), units.names [unit])
                    &&  s_reported (plan, target)) {
                        s_add (batch, plan, index, period, month, kind, seed);
                        if (batch->count == 1024)
                            rc = s_flush (units.clients [unit], batch, &created, &unchanged);
                    }
                }
                if (rc == CLI_OK)
                    rc = s_flush (units.clients [unit], batch, &created, &unchanged);
            }
        }
        printf (_("%s: %zu figures stored, %zu unchanged\n"), period, created, unchanged);
        fflush (stdout);
        if (pace && month < months)
            zclock_sleep (pace);
    }
    free (batch);
    s_units_destroy (&units, client);
    bm_client_destroy (&client);
    bm_plan_destroy (&plan);
    return rc;
}
