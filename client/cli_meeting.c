/*  battlemap report meeting: gathers the month's views from the server and
    hands them to cli_meeting_write (cli_meeting_sheets.c); makes the PDF
    with LibreOffice headless. */

#include "cli_meeting.h"
#include "bm_i18n.h"

#include <czmq.h>
#include <getopt.h>
#include <libgen.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

//  LibreOffice may take a while to start the first time
#define S_PDF_TIMEOUT_MSECS 180000

static void
s_usage (FILE *out)
{
    fprintf (out, "%s", _(
        "usage: battlemap report meeting --district D [--period YYYY-MM] --output FILE\n"
        "                                [--pdf]\n"
        "\n"
        "Write the month's report for the party-group meeting (党组会审议) as an Excel\n"
        "workbook (FILE.xlsx): 汇总 (how many tasks are 正常, 预警, 滞后; the key tasks'\n"
        "completion; the bottom five of each ranking), 作战图 (the battle map, each\n"
        "month's status coloured), 排名 (the units ranked on each task), 及时率 (the\n"
        "reports on time per unit), 预测准确率 (the forecast-accuracy bulletin) and\n"
        "预警 (the month's open alerts). Numbers are stored as numbers.\n"
        "With --pdf, or an --output ending in .pdf, also a PDF for printing, made by\n"
        "LibreOffice (libreoffice --headless --convert-to pdf), which must be installed\n"
        "(Debian: libreoffice-calc-nogui); $BATTLEMAP_LIBREOFFICE names another program.\n"));
}

//  ---------------------------------------------------------------------------
//  Asking the server

//  The reply if it has the expected body; else NULL after printing why
static Battlemap__Envelope *
s_expect (Battlemap__Envelope *reply, Battlemap__Envelope__BodyCase expected, int *rc)
{
    *rc = cli_check_reply ("report meeting", reply, expected);
    if (*rc >= 0) {
        bm_wire_free (&reply);
        return NULL;
    }
    *rc = CLI_OK;
    return reply;
}

static Battlemap__Envelope *
s_wall (bm_client_t *client, const char *district, const char *period, bool all, int *rc)
{
    return s_expect (bm_client_wall (client, district, period, NULL, all),
                     BATTLEMAP__ENVELOPE__BODY_WALL_REPLY, rc);
}

static Battlemap__Envelope *
s_report (bm_client_t *client, const char *district, const char *period,
          Battlemap__ReportKind kind, int *rc)
{
    return s_expect (bm_client_report (client, kind, district, period),
                     BATTLEMAP__ENVELOPE__BODY_REPORT_REPLY, rc);
}

static Battlemap__Envelope *
s_alerts (bm_client_t *client, const char *district, const char *period, int *rc)
{
    Battlemap__AlertRequest alert = BATTLEMAP__ALERT_REQUEST__INIT;
    alert.action = BATTLEMAP__ALERT_ACTION__LIST_ALERTS;
    alert.district = (char *) district;
    alert.period = (char *) period;
    Battlemap__Envelope request = BATTLEMAP__ENVELOPE__INIT;
    request.body_case = BATTLEMAP__ENVELOPE__BODY_ALERT;
    request.alert = &alert;
    return s_expect (bm_client_request (client, &request), BATTLEMAP__ENVELOPE__BODY_ALERT_REPLY,
                     rc);
}

//  The units ranked on every measure of the battle map that units have a
//  target for, each once; a measure the server cannot rank is left out
static void
s_rankings (bm_client_t *client, const char *district, const char *period,
            const Battlemap__WallReply *wall, zlist_t *replies)
{
    zhash_t *asked = zhash_new ();
    for (size_t index = 0; index < wall->n_tasks; index++) {
        const Battlemap__WallTask *task = wall->tasks [index];
        for (size_t item = 0; item < task->n_measures; item++) {
            const Battlemap__WallMeasure *measure = task->measures [item];
            if (!measure->units_expected || !*measure->indicator)
                continue;
            char key [256];
            snprintf (key, sizeof key, "%s/%s", measure->indicator, measure->measure);
            if (zhash_lookup (asked, key))
                continue;
            zhash_insert (asked, key, "");
            Battlemap__Envelope *reply = bm_client_ranking (client, district, period,
                                                            measure->indicator,
                                                            measure->measure, NULL, 0);
            if (reply && reply->body_case == BATTLEMAP__ENVELOPE__BODY_RANKING_REPLY
            &&  reply->ranking_reply->n_rows)
                zlist_append (replies, reply);
            else
                bm_wire_free (&reply);
        }
    }
    zhash_destroy (&asked);
}

//  ---------------------------------------------------------------------------
//  The PDF

//  The LibreOffice program, or NULL when there is none
static char *
s_libreoffice (void)
{
    const char *named = getenv ("BATTLEMAP_LIBREOFFICE");
    if (named && *named)
        return access (named, X_OK) == 0? strdup (named): NULL;
    const char *path = getenv ("PATH");
    char *paths = strdup (path && *path? path: "/usr/bin:/bin");
    char *found = NULL, *saved = NULL;
    for (char *folder = strtok_r (paths, ":", &saved); folder && !found;
         folder = strtok_r (NULL, ":", &saved)) {
        const char *programs [] = { "libreoffice", "soffice" };
        for (size_t index = 0; index < 2 && !found; index++) {
            char *candidate = zsys_sprintf ("%s/%s", folder, programs [index]);
            if (access (candidate, X_OK) == 0)
                found = candidate;
            else
                free (candidate);
        }
    }
    free (paths);
    return found;
}

//  Converts the workbook to a PDF in folder (named after the workbook), with
//  a profile of its own so that it runs as root and beside another
static int
s_convert (const char *program, const char *xlsx, const char *folder)
{
    char profile [] = "/tmp/battlemap-lo-XXXXXX";
    if (!mkdtemp (profile)) {
        fprintf (stderr, _("battlemap report meeting: cannot make a temporary folder "
                           "for LibreOffice in /tmp\n"));
        return -1;
    }
    char *installation = zsys_sprintf ("-env:UserInstallation=file://%s", profile);
    pid_t pid = fork ();
    if (pid == 0) {
        //  LibreOffice's chatter stays out of our output
        if (!freopen ("/dev/null", "w", stdout))
            _exit (127);
        setenv ("HOME", profile, 1);
        execl (program, program, installation, "--headless", "--norestore",
               "--convert-to", "pdf", "--outdir", folder, xlsx, (char *) NULL);
        _exit (127);
    }
    int status = -1;
    int64_t deadline = zclock_mono () + S_PDF_TIMEOUT_MSECS;
    while (pid > 0 && waitpid (pid, &status, WNOHANG) == 0) {
        if (zclock_mono () > deadline) {
            kill (pid, SIGKILL);
            waitpid (pid, &status, 0);
            status = -1;
            break;
        }
        zclock_sleep (100);
    }
    free (installation);
    zdir_t *leftover = zdir_new (profile, NULL);
    if (leftover)
        zdir_remove (leftover, true);
    zdir_destroy (&leftover);
    return pid > 0 && status != -1 && WIFEXITED (status) && WEXITSTATUS (status) == 0? 0: -1;
}

//  ---------------------------------------------------------------------------

static bool
s_ends_with (const char *text, const char *end)
{
    size_t length = strlen (text), tail = strlen (end);
    return length >= tail && strcasecmp (text + length - tail, end) == 0;
}

int
cli_meeting (cli_context_t *context, int argc, char *argv [])
{
    const char *district = NULL, *output = NULL;
    char period [8] = "";           //  default: the server's month
    bool pdf = false;
    static const struct option options [] = {
        { "district", required_argument, NULL, 'D' },
        { "period", required_argument, NULL, 'p' },
        { "output", required_argument, NULL, 'o' },
        { "pdf", no_argument, NULL, 'P' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    optind = 1;
    int option;
    while ((option = getopt_long (argc, argv, "", options, NULL)) != -1) {
        switch (option) {
            case 'D': district = optarg; break;
            case 'p': snprintf (period, sizeof period, "%s", optarg); break;
            case 'o': output = optarg; break;
            case 'P': pdf = true; break;
            case 'h': s_usage (stdout); return CLI_OK;
            default:  s_usage (stderr); return CLI_USAGE;
        }
    }
    if (!district || !output || optind < argc) {
        s_usage (stderr);
        return CLI_USAGE;
    }
    bool pdf_only = s_ends_with (output, ".pdf");
    if (!pdf_only && !s_ends_with (output, ".xlsx")) {
        fprintf (stderr, _("battlemap report meeting: --output %s: name a workbook FILE.xlsx "
                           "(or FILE.pdf for the PDF alone)\n"), output);
        return CLI_USAGE;
    }
    char *program = NULL;
    if (pdf || pdf_only) {
        program = s_libreoffice ();
        if (!program) {
            fprintf (stderr, _("battlemap report meeting: a PDF needs LibreOffice, which is "
                               "not installed (Debian: apt-get install libreoffice-calc-nogui)"
                               "; leave out --pdf and write FILE.xlsx, which Excel and WPS "
                               "print\n"));
            return CLI_USAGE;
        }
    }
    bm_client_t *client = cli_connect (context);
    if (!client) {
        free (program);
        return CLI_USAGE;
    }
    cli_default_period (client, period);

    //  Everything the workbook shows, asked in turn
    int rc = CLI_OK;
    zlist_t *envelopes = zlist_new ();
    zlist_t *rankings = zlist_new ();
    cli_meeting_t meeting = { NULL };
    Battlemap__Envelope *wall = s_wall (client, district, period, false, &rc);
    Battlemap__Envelope *all = wall? s_wall (client, district, period, true, &rc): NULL;
    Battlemap__Envelope *timeliness = all? s_report (client, district, period,
        BATTLEMAP__REPORT_KIND__TIMELINESS, &rc): NULL;
    Battlemap__Envelope *accuracy = timeliness? s_report (client, district, period,
        BATTLEMAP__REPORT_KIND__FORECAST_ACCURACY, &rc): NULL;
    Battlemap__Envelope *alerts = accuracy? s_alerts (client, district, period, &rc): NULL;
    int month = atoi (period + 5);
    Battlemap__WallReply *months [12];
    if (alerts) {
        s_rankings (client, district, period, wall->wall_reply, rankings);
        for (int earlier = 1; earlier < month && earlier <= 12 && rc == CLI_OK; earlier++) {
            char named [8];
            snprintf (named, sizeof named, "%.4s-%02d", period, earlier);
            Battlemap__Envelope *reply = s_wall (client, district, named, false, &rc);
            if (reply) {
                zlist_append (envelopes, reply);
                months [meeting.n_months++] = reply->wall_reply;
            }
        }
        if (rc == CLI_OK && month >= 1 && month <= 12)
            months [meeting.n_months++] = wall->wall_reply;
    }
    bm_client_destroy (&client);
    if (rc == CLI_OK) {
        meeting.wall = wall->wall_reply;
        meeting.all = all->wall_reply;
        meeting.months = months;
        meeting.timeliness = timeliness->report_reply;
        meeting.accuracy = accuracy->report_reply;
        meeting.alerts = alerts->alert_reply;
        Battlemap__RankingReply *ranked [zlist_size (rankings) + 1];
        size_t count = 0;
        for (Battlemap__Envelope *reply = zlist_first (rankings); reply;
             reply = zlist_next (rankings))
            ranked [count++] = reply->ranking_reply;
        meeting.rankings = ranked;
        meeting.n_rankings = count;

        //  The PDF alone: the workbook goes to a temporary folder
        char *folder = strdup (output);
        char *directory = strdup (dirname (folder));
        char *xlsx = NULL, *scratch = NULL;
        if (pdf_only) {
            scratch = strdup ("/tmp/battlemap-meeting-XXXXXX");
            if (!mkdtemp (scratch))
                zstr_free (&scratch);
            char *base = strdup (output);
            char *name = basename (base);
            name [strlen (name) - 4] = 0;
            xlsx = zsys_sprintf ("%s/%s.xlsx", scratch? scratch: "/tmp", name);
            free (base);
        }
        else
            xlsx = strdup (output);
        if (cli_meeting_write (&meeting, xlsx))
            rc = CLI_USAGE;
        else
        if (program && s_convert (program, xlsx, directory)) {
            fprintf (stderr, _("battlemap report meeting: LibreOffice (%s) could not convert "
                               "%s to PDF in %s; the workbook itself was written\n"),
                     program, xlsx, directory);
            rc = CLI_USAGE;
        }
        else
        if (program) {
            char *made = strdup (xlsx);
            char *base = basename (made);
            base [strlen (base) - 5] = 0;
            fprintf (stderr, _("meeting report for %s %s written to %s/%s.pdf\n"),
                     meeting.wall->district_name, period, directory, base);
            free (made);
        }
        if (!pdf_only && rc == CLI_OK)
            fprintf (stderr, _("meeting report for %s %s written to %s\n"),
                     meeting.wall->district_name, period, xlsx);
        if (scratch) {
            unlink (xlsx);
            rmdir (scratch);
        }
        free (scratch);
        free (xlsx);
        free (directory);
        free (folder);
    }
    while (zlist_size (envelopes)) {
        Battlemap__Envelope *reply = zlist_pop (envelopes);
        bm_wire_free (&reply);
    }
    while (zlist_size (rankings)) {
        Battlemap__Envelope *reply = zlist_pop (rankings);
        bm_wire_free (&reply);
    }
    zlist_destroy (&envelopes);
    zlist_destroy (&rankings);
    bm_wire_free (&wall);
    bm_wire_free (&all);
    bm_wire_free (&timeliness);
    bm_wire_free (&accuracy);
    bm_wire_free (&alerts);
    free (program);
    return rc;
}
