/*  cli_meeting: battlemap report meeting, the workbook for the party-group
    meeting (党组会): summary, battle map, rankings, timeliness, forecast
    accuracy and open alerts of a district for a month, written with
    libxlsxwriter, and a PDF of it through LibreOffice.
*/
#ifndef CLI_MEETING_H_INCLUDED
#define CLI_MEETING_H_INCLUDED

#include "cli.h"

//  What the workbook is made of: the server's replies, the caller's
typedef struct {
    Battlemap__WallReply *wall;         //  the district's battle map for the period
    Battlemap__WallReply **months;      //  its walls of January to the period's month
    size_t n_months;
    Battlemap__WallReply *all;          //  every indicator: the names of the codes
    Battlemap__RankingReply **rankings; //  the units ranked on each task's measures
    size_t n_rankings;
    Battlemap__ReportReply *timeliness;
    Battlemap__ReportReply *accuracy;
    Battlemap__AlertReply *alerts;      //  the period's firing alerts
} cli_meeting_t;

//  battlemap report meeting (argv [0] is "meeting")
int
    cli_meeting (cli_context_t *context, int argc, char *argv []);

//  Writes the workbook to path; prints why not and returns -1 on failure
int
    cli_meeting_write (const cli_meeting_t *meeting, const char *path);

#endif
