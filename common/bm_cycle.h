/*  bm_cycle: the monthly reporting cycle, deploy/plans/README.md "The
    reporting cycle": when the forecast and the final figures of a month are
    due, when their windows open and close, and whether a report came in on
    time.

    Times are int64 seconds since 1970-01-01T00:00:00Z (UTC). The reporting
    zone is Asia/Shanghai, which is UTC+8 all year: China has kept no
    daylight saving time since 1991, so the offset is a constant here and
    the system's time zone is never consulted (no localtime, mktime, timegm
    or TZ). A deadline is a day; a report is due by the end of it, 24:00
    Shanghai time, which is 00:00 of the next day.
*/
#ifndef BM_CYCLE_H_INCLUDED
#define BM_CYCLE_H_INCLUDED

#include "bm_calendar.h"
#include "bm_period.h"

#include <stdbool.h>
#include <stdint.h>

#define BM_SHANGHAI_OFFSET      (8 * 3600)  //  UTC+8, no daylight saving
#define BM_TIME_STR_MAX         40          //  "2023-06-28 24:00 (Asia/Shanghai)"
                                            //  is 32 characters and the terminator
#define BM_CYCLE_FORECAST_DAY   28          //  default forecast_day
#define BM_CYCLE_FINAL_DAY      10          //  default final_day

//  What happens to a deadline that falls on a day that is not worked
typedef enum {
    BM_DEADLINE_NONE,                   //  the day stands
    BM_DEADLINE_NEXT_WORKDAY,           //  moves to the next working day
    BM_DEADLINE_PREVIOUS_WORKDAY        //  moves to the working day before
} bm_deadline_rule_t;

//  Parse plan.csv's deadline_rule: "none" (also "" or NULL), "next_workday",
//  "previous_workday". Returns 0, or -1 for anything else.
int
    bm_deadline_rule_parse (const char *text, bm_deadline_rule_t *rule);

//  "none", "next_workday" or "previous_workday".
const char *
    bm_deadline_rule_name (bm_deadline_rule_t rule);

//  A plan's cycle
typedef struct {
    int forecast_day;                   //  day of M the forecast is due, 1..28;
                                        //  0: BM_CYCLE_FORECAST_DAY
    int final_day;                      //  day of M+1 the final is due, 1..28;
                                        //  0: BM_CYCLE_FINAL_DAY
    bm_deadline_rule_t rule;            //  how deadlines move
    const bm_calendar_t *calendar;      //  working days; NULL: Monday-Friday
} bm_cycle_t;

//  Check the cycle's days are 1..28 (or 0 for the default). Returns 0, or -1
//  with *error (if error is not NULL) set to a static message.
int
    bm_cycle_check (const bm_cycle_t *cycle, const char **error);

//  The deadlines and windows of one period M
typedef struct {
    bm_date_t forecast_deadline;        //  the day (moved by the rule) by whose
                                        //  end the forecast of M is due
    bm_date_t final_deadline;           //  the same for the final, in M+1 unless
                                        //  the rule moves it
    int64_t forecast_opens;             //  00:00 Shanghai on the 1st of M
    int64_t forecast_closes;            //  00:00 Shanghai the day after
                                        //  forecast_deadline (exclusive)
    int64_t final_opens;                //  00:00 Shanghai on the 1st of M+1
    int64_t final_closes;               //  00:00 Shanghai the day after
                                        //  final_deadline (exclusive)
} bm_windows_t;

//  Compute the windows of period. A day outside 1..28 (other than 0, the
//  default) is taken as the nearest of 1 and 28; check with bm_cycle_check.
//  Under next_workday the forecast deadline can move into M+1, after the
//  final window opens: both windows are then open at once. Under
//  previous_workday an early day can move back before its window opens
//  (forecast_day 1 in October 2023 moves to 09-28): that window goes from
//  not open to closed and is never open.
void
    bm_cycle_windows (const bm_cycle_t *cycle, bm_period_t period,
                      bm_windows_t *windows);

typedef enum {
    BM_WINDOW_NOT_OPEN,                 //  before it opens
    BM_WINDOW_OPEN,                     //  opens <= now < closes
    BM_WINDOW_CLOSED                    //  at or after it closes
} bm_window_t;

//  Where now stands against the forecast window, or the final's if final.
bm_window_t
    bm_cycle_window (const bm_windows_t *windows, bool final, int64_t now);

typedef enum {
    BM_TIMELY_MISSING,                  //  not received
    BM_TIMELY_ON_TIME,                  //  first received before the close
    BM_TIMELY_LATE                      //  first received at or after it
} bm_timely_t;

//  Whether a report (the forecast, or the final if final) came in on time:
//  received before the window closes. first_received is ignored when
//  received is false.
bm_timely_t
    bm_cycle_timeliness (const bm_windows_t *windows, bool final, bool received,
                         int64_t first_received);

//  "missing", "on_time" or "late".
const char *
    bm_timely_name (bm_timely_t timely);

//  The instant of a Shanghai wall-clock time on date. hour 24 with minute
//  and second 0 is the end of the day; values out of range carry over.
int64_t
    bm_time_from_shanghai (bm_date_t date, int hour, int minute, int second);

//  The Shanghai date of an instant.
bm_date_t
    bm_time_shanghai_date (int64_t seconds);

//  Format in Shanghai time as "2023-06-28T23:59:59+08:00" into buf
//  (BM_TIME_STR_MAX bytes). Returns buf.
char *
    bm_time_format (int64_t seconds, char *buf);

//  Parse a time a person or a program wrote:
//    - RFC 3339 / ISO 8601 "YYYY-MM-DDTHH:MM:SS", optional fractional
//      seconds (dropped: 23:59:59.999 is 23:59:59), then "Z" or an offset
//      "+HH:MM" / "-HH:MM"; without one, Shanghai time. "t" and "z" may be
//      lower case, as RFC 3339 allows.
//    - "YYYY-MM-DD HH:MM" (a space, no seconds): Shanghai time.
//  Hour 24 is accepted at 24:00:00 exactly, as the end of the day (the way
//  bm_cycle_deadline_text writes deadlines). Leap seconds (:60) are not.
//  Returns 0, or -1 with *error (if error is not NULL) set to a static
//  message.
int
    bm_time_parse (const char *text, int64_t *seconds, const char **error);

//  A deadline for people to read: "2023-06-28 24:00 (Asia/Shanghai)", the
//  end of the deadline day. buf holds BM_TIME_STR_MAX bytes. Returns buf.
char *
    bm_cycle_deadline_text (bm_date_t deadline, char *buf);

#endif
