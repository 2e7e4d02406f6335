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
#include "bm_period.h"

#include <czmq.h>
#include <getopt.h>
#include <string.h>

static void
s_usage (FILE *out)
{
    fprintf (out,
        "usage: battlemap simulate --plan DIR [--from M] [--months N] [--pace MSECS]\n"
        "                          [--seed N] [--clock]\n"
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
        "Without it, the server must accept figures outside their windows (--backfill).\n");
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
    uint64_t seed = 2023;
    static const struct option options [] = {
        { "plan", required_argument, NULL, 'P' },
        { "from", required_argument, NULL, 'f' },
        { "months", required_argument, NULL, 'm' },
        { "pace", required_argument, NULL, 'p' },
        { "seed", required_argument, NULL, 's' },
        { "clock", no_argument, NULL, 'c' },
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
    s_batch_t *batch = zmalloc (sizeof (s_batch_t));
    int rc = CLI_OK;
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
            for (size_t index = 0; index < plan->target_count && rc == CLI_OK; index++) {
                const bm_plan_target_t *target = plan->targets + index;
                bool district = streq (target->unit, BM_DISTRICT_UNIT);
                const bm_plan_indicator_t *indicator =
                    bm_plan_indicator (plan, target->indicator, target->measure);
                //  Derived indicators are computed, not sent
                if (!indicator || streq (indicator->kind, "ratio")
                ||  target->no_target || !target->has_value || !streq (target->role, "working")
                ||  !(streq (target->kind, "total") || streq (target->kind, "level"))
                ||  (district && s_decomposed (plan, target)))
                    continue;
                s_add (batch, plan, target, period, month, kind, seed);
                if (batch->count == 1024)
                    rc = s_flush (client, batch, &created, &unchanged);
            }
            if (rc == CLI_OK)
                rc = s_flush (client, batch, &created, &unchanged);
        }
        printf ("%s: %zu figures stored, %zu already there\n", period, created, unchanged);
        fflush (stdout);
        if (pace && month < months)
            zclock_sleep (pace);
    }
    free (batch);
    bm_client_destroy (&client);
    bm_plan_destroy (&plan);
    return rc;
}
