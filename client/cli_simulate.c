/*  battlemap simulate: simulated units submit a year of figures.

    For a newcomer to watch the wall fill, and for load: every unit with a
    target sends, month after month, a forecast and then a final figure for
    each of its indicators. Each unit keeps its own pace (between 85% and
    110% of its target, fixed per unit and indicator from the seed), so the
    wall shows units on track, at risk and lagging. Text milestones get a
    status. Growth-rate and qualitative targets are left out (they need last
    year's figures), and so are derived indicators, which the server computes.
*/

#include "cli.h"
#include "bm_plan.h"
#include "bm_keys.h"
#include "bm_period.h"

#include <czmq.h>
#include <getopt.h>
#include <string.h>

static void
s_usage (FILE *out)
{
    fprintf (out,
        "usage: battlemap simulate --plan DIR [--from M] [--months N] [--pace MSECS]\n"
        "                          [--seed N] [--clock] [--unit-keys DIR]\n"
        "\n"
        "Simulated units of the plan in DIR submit a forecast and a final figure for\n"
        "every indicator they have a target for, month by month from month M\n"
        "(default 1) to month N (default 12),\n"
        "waiting MSECS between months (default 0). The plan must be loaded on the\n"
        "server. Ids are derived from the content, so running it again is answered\n"
        "'unchanged' and stores nothing twice.\n"
        "With --clock (a server started with --test-clock), the simulation moves the\n"
        "server's clock: forecasts go in on the 20th of each month and finals on the\n"
        "5th of the next, so deadlines pass and snapshots are taken as in a real year.\n"
        "Without it, the server must accept figures outside their windows (--backfill).\n"
        "With --unit-keys, each unit sends with its own key DIR/UNIT.cert; a missing\n"
        "one is made and enrolled as the unit's submitter (so our key must be an\n"
        "administrator's). Without it, everything is sent with our key.\n");
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

//  True for a target the simulated units report: numeric working totals
//  and levels; not derived indicators (computed), not the district's where
//  units carry the indicator (it is their sum)
static bool
s_reported (const bm_plan_t *plan, const bm_plan_target_t *target)
{
    const bm_plan_indicator_t *indicator =
        bm_plan_indicator (plan, target->indicator, target->measure);
    return indicator && !streq (indicator->kind, "ratio")
        && !target->no_target && target->has_value && streq (target->role, "working")
        && (streq (target->kind, "total") || streq (target->kind, "level"))
        && !(streq (target->unit, BM_DISTRICT_UNIT) && s_decomposed (plan, target));
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
        bool known = false;
        for (size_t unit = 0; unit < units->count && !known; unit++)
            known = streq (units->names [unit], target->unit);
        if (!known && s_reported (plan, target))
            units->names [units->count++] = target->unit;
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
    char notes [1024][64];
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
                == BATTLEMAP__RECEIPT_OUTCOME__CREATED)
                (*created)++;
            else
                (*unchanged)++;
        rc = CLI_OK;
    }
    else
    if (rc == CLI_REFUSED && reply->error->index) {
        Battlemap__Figure *figure = batch->figures + reply->error->index - 1;
        fprintf (stderr, "  (figure %s %s %s %s)\n", figure->unit, figure->indicator,
                 figure->measure, figure->value);
    }
    bm_wire_free (&reply);
    batch->count = 0;
    return rc;
}

//  Adds the figure of one target for one month, if it has one
static void
s_add (s_batch_t *batch, const bm_plan_t *plan, const bm_plan_target_t *target,
       const char *period, int month, Battlemap__FigureKind kind, uint64_t seed)
{
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
    if (milestone && !milestone->has_value) {
        //  A text milestone: report a status
        figure->status = pace >= 1000? BATTLEMAP__MILESTONE_STATUS__DONE
                       : pace >= 900? BATTLEMAP__MILESTONE_STATUS__IN_PROGRESS
                       : BATTLEMAP__MILESTONE_STATUS__NOT_STARTED;
        snprintf (batch->notes [slot], sizeof batch->notes [slot], "模拟：%s",
                  figure->status == BATTLEMAP__MILESTONE_STATUS__DONE? "已完成": "推进中");
    }
    else {
        bm_decimal_t base = target->value;
        int64_t micros;
        if (streq (target->kind, "level"))
            micros = base.micros / 1000 * pace;                   //  a rate: not prorated
        else
        if (milestone && milestone->has_value && milestone->month == month
        &&  streq (milestone->unit, target->unit))
            micros = milestone->value.micros / 1000 * pace;     //  its own milestone
        else
            micros = base.micros / 12000 * month * pace;          //  序时进度
        //  Counts (个, 家, 户…) are whole; amounts keep two decimals
        int64_t step = s_is_count (indicator->unit_of_measure)? BM_DECIMAL_SCALE: 10000;
        bm_decimal_t value = { micros / step * step };
        bm_decimal_format (value, batch->values [slot]);
        figure->value = batch->values [slot];
        snprintf (batch->notes [slot], sizeof batch->notes [slot], "模拟");
    }
    figure->district = plan->header.district;
    figure->unit = target->unit;
    figure->indicator = target->indicator;
    figure->measure = target->measure;
    figure->period = (char *) period;
    figure->kind = kind;
    figure->note = batch->notes [slot];
    char *content = zsys_sprintf ("simulate\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%d\x1f%s\x1f%d",
        figure->district, figure->unit, figure->indicator, figure->measure, period, kind,
        figure->value, figure->status);
    bm_client_content_id (content, batch->ids [slot]);
    free (content);
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
        fprintf (stderr, "battlemap simulate: the plan in %s is invalid:\n", plan_dir);
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
                    if (streq (target->unit, units.names [unit]) && s_reported (plan, target)) {
                        s_add (batch, plan, target, period, month, kind, seed);
                        if (batch->count == 1024)
                            rc = s_flush (units.clients [unit], batch, &created, &unchanged);
                    }
                }
                if (rc == CLI_OK)
                    rc = s_flush (units.clients [unit], batch, &created, &unchanged);
            }
        }
        printf ("%s: %zu figures stored, %zu already there\n", period, created, unchanged);
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
