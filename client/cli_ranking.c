/*  battlemap ranking: units ranked on an indicator, or on a weighted ranking. */

#include "cli.h"
#include "cli_format.h"
#include "cli_labels.h"
#include "bm_i18n.h"

#include <czmq.h>
#include <getopt.h>

static void
s_usage (FILE *out)
{
    fprintf (out,
        "usage: battlemap ranking --district D [--period YYYY-MM]\n"
        "                         (--indicator CODE [--measure M] | --ranking NAME)\n"
        "                         [--bottom N] [--format text|csv|json]\n"
        "\n"
        "Rank the units with a target on an indicator by their completion against the\n"
        "month's expected value (ties share a rank; units that have not reported come\n"
        "last), or on one of the plan's weighted rankings (rankings.csv) by the weighted\n"
        "average of their completions, each capped at 200%%. The bottom N (default: the\n"
        "ranking's, else 5) are marked 预警, as the documents' 后5名预警提示.\n"
        "\n" CLI_FORMAT_USAGE);
}

static void
s_print_text (const Battlemap__RankingReply *ranked)
{
    printf ("%s %s 排名（后%u名预警）\n\n", ranked->title, ranked->period, ranked->bottom);
    printf ("  名次  ");
    cli_print_padded (stdout, "单位", 26, false);
    cli_print_padded (stdout, "完成率", 10, true);
    cli_print_padded (stdout, "累计", 12, true);
    printf ("\n");
    for (size_t index = 0; index < ranked->n_rows; index++) {
        Battlemap__RankingRow *row = ranked->rows [index];
        char rate [32];
        snprintf (rate, sizeof rate, "%s%s", *row->rate? row->rate: "—", *row->rate? "%": "");
        if (row->rank)
            printf ("  %4u  ", row->rank);
        else
            printf ("  %4s  ", "—");
        cli_print_padded (stdout, row->unit, 26, false);
        cli_print_padded (stdout, rate, 10, true);
        cli_print_padded (stdout, *row->actual? row->actual: "—", 12, true);
        printf ("%s\n", row->warned? "  预警": row->rank? "": "  未报送（不排名）");
    }
}

//  One row per unit; a unit not ranked has an empty rank
static void
s_print_csv (const Battlemap__RankingReply *ranked)
{
    cli_csv_bom (stdout);
    cli_csv_header (stdout, "排名", "期间", "名次", "单位", "完成率(%)", "累计完成", "状态",
                    "后位预警", NULL);
    for (size_t index = 0; index < ranked->n_rows; index++) {
        const Battlemap__RankingRow *row = ranked->rows [index];
        char rank [16] = "";
        if (row->rank)
            snprintf (rank, sizeof rank, "%u", row->rank);
        cli_csv_row (stdout, "ssssps" "sb", ranked->title, ranked->period, rank, row->unit,
                     row->rate, row->actual, cli_status_label (row->status), row->warned);
    }
}

int
cli_ranking (cli_context_t *context, int argc, char *argv [])
{
    const char *district = NULL, *indicator = NULL, *measure = "", *ranking = NULL;
    int bottom = 0;
    cli_format_t format = CLI_FORMAT_TEXT;
    char period [8] = "";          //  default: the server's month
    static const struct option options [] = {
        { "district", required_argument, NULL, 'D' },
        { "period", required_argument, NULL, 'p' },
        { "indicator", required_argument, NULL, 'i' },
        { "measure", required_argument, NULL, 'm' },
        { "ranking", required_argument, NULL, 'r' },
        { "bottom", required_argument, NULL, 'b' },
        { "format", required_argument, NULL, 'f' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    int option;
    while ((option = getopt_long (argc, argv, "", options, NULL)) != -1) {
        switch (option) {
            case 'D': district = optarg; break;
            case 'p': snprintf (period, sizeof period, "%s", optarg); break;
            case 'i': indicator = optarg; break;
            case 'm': measure = optarg; break;
            case 'r': ranking = optarg; break;
            case 'b': bottom = atoi (optarg); break;
            case 'f':
                if (cli_format_parse ("ranking", optarg, &format))
                    return CLI_USAGE;
                break;
            case 'h': s_usage (stdout); return CLI_OK;
            default:  s_usage (stderr); return CLI_USAGE;
        }
    }
    if (!district || optind < argc || !indicator == !ranking || bottom < 0) {
        s_usage (stderr);
        return CLI_USAGE;
    }
    bm_client_t *client = cli_connect (context);
    if (!client)
        return CLI_USAGE;
    cli_default_period (client, period);
    Battlemap__Envelope *reply = bm_client_ranking (client, district, period, indicator,
                                                    measure, ranking, (uint32_t) bottom);
    bm_client_destroy (&client);
    int rc = cli_check_reply ("ranking", reply, BATTLEMAP__ENVELOPE__BODY_RANKING_REPLY);
    if (rc >= 0) {
        bm_wire_free (&reply);
        return rc;
    }
    if (format == CLI_FORMAT_JSON)
        cli_format_json (stdout, &reply->ranking_reply->base);
    else
    if (format == CLI_FORMAT_CSV)
        s_print_csv (reply->ranking_reply);
    else
        s_print_text (reply->ranking_reply);
    bm_wire_free (&reply);
    return CLI_OK;
}
