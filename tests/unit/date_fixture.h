/*  date_fixture: what the calendar and cycle tests share. Include after
    cmocka.h and bm_calendar.h. */
#ifndef DATE_FIXTURE_H_INCLUDED
#define DATE_FIXTURE_H_INCLUDED

#include <string.h>

#define S_COUNT(array) (sizeof (array) / sizeof (array) [0])

static inline bm_date_t
s_date (const char *text)
{
    bm_date_t date;
    const char *error = NULL;
    if (bm_date_parse (text, &date, &error))
        fail_msg ("%s: %s", text, error);
    return date;
}

static inline void
s_assert_date (bm_date_t date, const char *expected, const char *what)
{
    char buf [BM_DATE_STR_MAX];
    if (strcmp (bm_date_format (date, buf), expected) != 0)
        fail_msg ("%s: %s, expected %s", what, buf, expected);
}

#endif
