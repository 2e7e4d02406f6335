/*  cli_meeting_sheets: the meeting workbook's sheets, with libxlsxwriter.

    Every sheet: a title row naming the district and the month, the time the
    figures stand at, a header row frozen below them, numbers stored as
    numbers with a number format (a rate as a fraction shown 0.0%), text in
    a Chinese font, and a landscape A4 page one sheet wide for printing.
    Sheet names and headings are the bureau's Chinese; statuses and kinds
    come from cli_labels, as everywhere.
*/

#include "cli_meeting.h"
#include "cli_labels.h"
#include "bm_i18n.h"

#include <czmq.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#define S_FONT       "等线"         //  Excel's Chinese UI font (DengXian)
#define S_FIRST_ROW  3              //  below the title, the time and the header

//  The formats of the workbook
typedef struct {
    lxw_workbook *workbook;
    lxw_format *title;          //  the title row
    lxw_format *subtitle;       //  the time the figures stand at
    lxw_format *header;         //  a header row
    lxw_format *text;           //  text
    lxw_format *wrap;           //  long text, wrapped
    lxw_format *numbers [5];    //  a number with 0 to 4 decimals
    lxw_format *percent;        //  a rate: a fraction shown 0.0%
    lxw_format *score;          //  a score of 0 to 100, one decimal
    lxw_format *statuses [6];   //  the fill of each status, in s_statuses' order
    zhash_t *names;             //  indicator code -> its name
    const char *district;       //  the district's name
    char month [32];            //  the period, as a person writes it (2023年6月)
    const char *as_of;          //  when the server computed the figures
} s_book_t;

//  Statuses coloured on the battle map, and their fills
static const char *s_statuses [] = { "on_track", "at_risk", "lagging", "not_reported",
                                     "no_milestone", "partial" };
static const lxw_color_t s_fills [] = { 0xC6EFCE, 0xFFEB9C, 0xFFC7CE, 0xD9D9D9, 0xDDEBF7,
                                        0xEDEDED };

static lxw_format *
s_format (s_book_t *book)
{
    lxw_format *format = workbook_add_format (book->workbook);
    format_set_font_name (format, S_FONT);
    format_set_font_size (format, 11);
    format_set_align (format, LXW_ALIGN_VERTICAL_CENTER);
    return format;
}

static void
s_formats (s_book_t *book)
{
    book->title = s_format (book);
    format_set_font_size (book->title, 16);
    format_set_bold (book->title);
    book->subtitle = s_format (book);
    format_set_font_color (book->subtitle, 0x595959);
    book->header = s_format (book);
    format_set_bold (book->header);
    format_set_bg_color (book->header, 0xD9E1F2);
    format_set_border (book->header, LXW_BORDER_THIN);
    format_set_text_wrap (book->header);
    format_set_align (book->header, LXW_ALIGN_CENTER);
    book->text = s_format (book);
    book->wrap = s_format (book);
    format_set_text_wrap (book->wrap);
    const char *patterns [] = { "#,##0", "#,##0.0", "#,##0.00", "#,##0.000", "#,##0.0000" };
    for (size_t index = 0; index < 5; index++) {
        book->numbers [index] = s_format (book);
        format_set_num_format (book->numbers [index], patterns [index]);
    }
    book->percent = s_format (book);
    format_set_num_format (book->percent, "0.0%");
    book->score = s_format (book);
    format_set_num_format (book->score, "0.0");
    for (size_t index = 0; index < 6; index++) {
        book->statuses [index] = workbook_add_format (book->workbook);
        format_set_bg_color (book->statuses [index], s_fills [index]);
    }
}

//  ---------------------------------------------------------------------------
//  Cells

//  A decimal from the wire ("162.4"), or NULL when it is none
static bool
s_decimal (const char *text, double *value)
{
    if (!text || !*text)
        return false;
    char *end;
    *value = strtod (text, &end);
    return *end == 0;
}

static void
s_text (lxw_worksheet *sheet, lxw_row_t row, lxw_col_t col, const char *text, s_book_t *book)
{
    if (text && *text)
        worksheet_write_string (sheet, row, col, text, book->text);
}

//  A number in as many decimals as it was written with; text that is not a
//  number ("≥90%") is written as text
static void
s_number (lxw_worksheet *sheet, lxw_row_t row, lxw_col_t col, const char *text,
          s_book_t *book)
{
    double value;
    if (!s_decimal (text, &value)) {
        s_text (sheet, row, col, text, book);
        return;
    }
    const char *point = strchr (text, '.');
    size_t decimals = point? strlen (point + 1): 0;
    worksheet_write_number (sheet, row, col, value,
                            book->numbers [decimals > 4? 4: decimals]);
}

static void
s_count (lxw_worksheet *sheet, lxw_row_t row, lxw_col_t col, unsigned count, s_book_t *book)
{
    worksheet_write_number (sheet, row, col, count, book->numbers [0]);
}

//  A rate in percent from the wire ("100.2"), stored as 1.002 shown 100.2%
static void
s_rate (lxw_worksheet *sheet, lxw_row_t row, lxw_col_t col, const char *text, s_book_t *book)
{
    double value;
    if (s_decimal (text, &value))
        worksheet_write_number (sheet, row, col, value / 100, book->percent);
}

//  part / whole, blank when there is no whole
static void
s_ratio (lxw_worksheet *sheet, lxw_row_t row, lxw_col_t col, unsigned part, unsigned whole,
         s_book_t *book)
{
    if (whole)
        worksheet_write_number (sheet, row, col, (double) part / whole, book->percent);
}

static const char *
s_name (s_book_t *book, const char *indicator)
{
    const char *name = zhash_lookup (book->names, indicator);
    return name? name: indicator;
}

//  ---------------------------------------------------------------------------
//  Sheets

//  A new sheet: title, time, header row (frozen), column widths, print setup
static lxw_worksheet *
s_sheet (s_book_t *book, const char *name, const char *title, const char **headers,
         const double *widths)
{
    lxw_worksheet *sheet = workbook_add_worksheet (book->workbook, name);
    size_t columns = 0;
    while (headers [columns])
        columns++;
    char *line = zsys_sprintf ("%s %s %s", book->district, book->month, title);
    worksheet_set_row (sheet, 0, 28, NULL);
    worksheet_write_string (sheet, 0, 0, line, book->title);
    free (line);
    line = zsys_sprintf ("截至 %s", book->as_of);
    worksheet_write_string (sheet, 1, 0, line, book->subtitle);
    free (line);
    worksheet_set_row (sheet, 2, 32, NULL);
    for (size_t column = 0; column < columns; column++) {
        worksheet_write_string (sheet, 2, (lxw_col_t) column, headers [column], book->header);
        worksheet_set_column (sheet, (lxw_col_t) column, (lxw_col_t) column,
                              widths [column], NULL);
    }
    worksheet_freeze_panes (sheet, S_FIRST_ROW, 0);
    worksheet_set_landscape (sheet);
    worksheet_set_paper (sheet, 9);                 //  A4
    worksheet_fit_to_pages (sheet, 1, 0);
    worksheet_repeat_rows (sheet, 2, 2);
    return sheet;
}

//  Colours the cells of a status column (or columns) by status
static void
s_colour_statuses (lxw_worksheet *sheet, s_book_t *book, lxw_row_t first_row,
                   lxw_row_t last_row, lxw_col_t first_col, lxw_col_t last_col)
{
    if (last_row < first_row)
        return;
    for (size_t index = 0; index < 6; index++) {
        char *quoted = zsys_sprintf ("\"%s\"", cli_status_label (s_statuses [index]));
        lxw_conditional_format condition = { 0 };
        condition.type = LXW_CONDITIONAL_TYPE_CELL;
        condition.criteria = LXW_CONDITIONAL_CRITERIA_EQUAL_TO;
        condition.value_string = quoted;
        condition.format = book->statuses [index];
        worksheet_conditional_format_range (sheet, first_row, first_col, last_row, last_col,
                                            &condition);
        free (quoted);
    }
}

//  A task's status: a composite task's overall, else its measure's
static const char *
s_task_status (const Battlemap__WallTask *task)
{
    return task->n_measures > 1? task->overall_status
         : task->n_measures? task->measures [0]->status: "";
}

static void
s_summary (s_book_t *book, const cli_meeting_t *meeting)
{
    const char *headers [] = { "状态", "任务数", NULL };
    const double widths [] = { 44, 16 };
    lxw_worksheet *sheet = s_sheet (book, "汇总", "挂图作战推进情况（党组会审议）",
                                    headers, widths);
    //  The key tasks' table below is wider
    worksheet_set_column (sheet, 2, 4, 12, NULL);
    worksheet_set_column (sheet, 5, 5, 10, NULL);
    //  How many tasks in each status
    const char *counted [] = { "on_track", "at_risk", "lagging", "not_reported",
                               "no_milestone", "partial", "no_baseline" };
    lxw_row_t row = S_FIRST_ROW;
    for (size_t status = 0; status < sizeof counted / sizeof counted [0]; status++) {
        unsigned count = 0;
        for (size_t index = 0; index < meeting->wall->n_tasks; index++)
            count += streq (s_task_status (meeting->wall->tasks [index]), counted [status]);
        if (!count && status > 2)
            continue;               //  正常, 预警, 滞后 always; the others when there are
        s_text (sheet, row, 0, cli_status_label (counted [status]), book);
        s_count (sheet, row++, 1, count, book);
    }
    lxw_row_t counts_end = row - 1;
    s_text (sheet, row, 0, "合计", book);
    s_count (sheet, row++, 1, (unsigned) meeting->wall->n_tasks, book);
    s_colour_statuses (sheet, book, S_FIRST_ROW, counts_end, 0, 0);

    //  The key tasks' completion, measure by measure
    row++;
    const char *key [] = { "重点任务", "分项", "累计完成", "预期完成率", "年度完成率", "状态" };
    for (lxw_col_t column = 0; column < 6; column++)
        worksheet_write_string (sheet, row, column, key [column], book->header);
    lxw_row_t first = ++row;
    for (size_t index = 0; index < meeting->wall->n_tasks; index++) {
        const Battlemap__WallTask *task = meeting->wall->tasks [index];
        for (size_t item = 0; item < task->n_measures; item++) {
            const Battlemap__WallMeasure *measure = task->measures [item];
            char *title = *task->level
                        ? zsys_sprintf ("%s%u %s", task->level, task->seq, task->title)
                        : strdup (task->title);
            s_text (sheet, row, 0, item? "": title, book);
            free (title);
            s_text (sheet, row, 1, measure->beside? measure->indicator_name
                                                  : measure->measure, book);
            s_number (sheet, row, 2, measure->actual, book);
            s_rate (sheet, row, 3, measure->vs_milestone, book);
            s_rate (sheet, row, 4, measure->vs_annual, book);
            s_text (sheet, row++, 5, cli_status_label (measure->status), book);
        }
    }
    s_colour_statuses (sheet, book, first, row - 1, 5, 5);

    //  The bottom five of each ranking (后5名预警)
    row++;
    worksheet_write_string (sheet, row, 0, "后5名预警", book->header);
    worksheet_write_string (sheet, row++, 1, "单位", book->header);
    for (size_t index = 0; index < meeting->n_rankings; index++) {
        const Battlemap__RankingReply *ranked = meeting->rankings [index];
        char *units = strdup ("");
        for (size_t line = 0; line < ranked->n_rows; line++)
            if (ranked->rows [line]->warned) {
                char *longer = zsys_sprintf ("%s%s%s", units, *units? "、": "",
                                             ranked->rows [line]->unit);
                free (units);
                units = longer;
            }
        if (*units) {
            s_text (sheet, row, 0, ranked->title, book);
            worksheet_write_string (sheet, row++, 1, units, book->text);
        }
        free (units);
    }
}

//  The status of a measure in another month's wall, "" when it has none
static const char *
s_status_in (const Battlemap__WallReply *wall, const char *indicator, const char *measure,
             size_t task_index)
{
    for (size_t index = 0; index < wall->n_tasks; index++) {
        //  The same plan: the same task is usually at the same place
        const Battlemap__WallTask *task = wall->tasks [(task_index + index) % wall->n_tasks];
        for (size_t item = 0; item < task->n_measures; item++)
            if (streq (task->measures [item]->indicator, indicator)
            &&  streq (task->measures [item]->measure, measure))
                return task->measures [item]->status;
    }
    return "";
}

static void
s_battle_map (s_book_t *book, const cli_meeting_t *meeting)
{
    const char *headers [13 + 12 + 1] = { "层级", "序号", "任务", "指标", "分项", "计量单位",
        "年度目标", "本月预期", "累计完成", "预期完成率", "年度完成率", "状态", "牵头科室" };
    double widths [13 + 12] = { 8, 6, 40, 24, 14, 10, 11, 11, 11, 11, 11, 9, 20 };
    static const char *months [] = { "1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月",
                                     "9月", "10月", "11月", "12月" };
    size_t n_months = meeting->n_months > 12? 12: meeting->n_months;
    for (size_t month = 0; month < n_months; month++) {
        headers [13 + month] = months [month];
        widths [13 + month] = 8;
    }
    headers [13 + n_months] = NULL;
    lxw_worksheet *sheet = s_sheet (book, "作战图", "挂图作战图", headers, widths);
    lxw_row_t row = S_FIRST_ROW;
    for (size_t index = 0; index < meeting->wall->n_tasks; index++) {
        const Battlemap__WallTask *task = meeting->wall->tasks [index];
        for (size_t item = 0; item < task->n_measures; item++) {
            const Battlemap__WallMeasure *measure = task->measures [item];
            s_text (sheet, row, 0, task->level, book);
            if (task->seq)
                s_count (sheet, row, 1, task->seq, book);
            s_text (sheet, row, 2, task->title, book);
            s_text (sheet, row, 3, measure->indicator_name, book);
            s_text (sheet, row, 4, measure->measure, book);
            s_text (sheet, row, 5, measure->unit_of_measure, book);
            s_number (sheet, row, 6, *measure->annual_target? measure->annual_target
                                                            : measure->target_text, book);
            s_number (sheet, row, 7, measure->expected, book);
            s_number (sheet, row, 8, measure->actual, book);
            s_rate (sheet, row, 9, measure->vs_milestone, book);
            s_rate (sheet, row, 10, measure->vs_annual, book);
            s_text (sheet, row, 11, cli_status_label (measure->status), book);
            s_text (sheet, row, 12, task->sections, book);
            for (size_t month = 0; month < n_months; month++) {
                const char *status = s_status_in (meeting->months [month],
                                                  measure->indicator, measure->measure, index);
                if (*status)
                    s_text (sheet, row, (lxw_col_t) (13 + month), cli_status_label (status),
                            book);
            }
            row++;
        }
    }
    s_colour_statuses (sheet, book, S_FIRST_ROW, row - 1, 11, 11);
    if (n_months)
        s_colour_statuses (sheet, book, S_FIRST_ROW, row - 1, 13,
                           (lxw_col_t) (13 + n_months - 1));
    worksheet_freeze_panes (sheet, S_FIRST_ROW, 3);
}

static void
s_rankings (s_book_t *book, const cli_meeting_t *meeting)
{
    const char *headers [] = { "排名", "名次", "单位", "完成率", "累计完成", "状态",
                               "后位预警", NULL };
    const double widths [] = { 30, 6, 22, 11, 12, 9, 9 };
    lxw_worksheet *sheet = s_sheet (book, "排名", "各单位排名（后5名预警）", headers, widths);
    lxw_row_t row = S_FIRST_ROW;
    for (size_t index = 0; index < meeting->n_rankings; index++) {
        const Battlemap__RankingReply *ranked = meeting->rankings [index];
        for (size_t line = 0; line < ranked->n_rows; line++) {
            const Battlemap__RankingRow *one = ranked->rows [line];
            s_text (sheet, row, 0, ranked->title, book);
            if (one->rank)
                s_count (sheet, row, 1, one->rank, book);
            s_text (sheet, row, 2, one->unit, book);
            s_rate (sheet, row, 3, one->rate, book);
            s_number (sheet, row, 4, one->actual, book);
            s_text (sheet, row, 5, cli_status_label (one->status), book);
            if (one->warned)
                s_text (sheet, row, 6, "预警", book);
            row++;
        }
    }
    s_colour_statuses (sheet, book, S_FIRST_ROW, row - 1, 5, 5);
    if (row > S_FIRST_ROW)
        worksheet_autofilter (sheet, 2, 0, row - 1, 6);
}

static void
s_timeliness (s_book_t *book, const cli_meeting_t *meeting)
{
    const char *headers [] = { "单位", "预报应报", "预报按时", "预报迟报", "预报未报",
                               "预报及时率", "终报应报", "终报按时", "终报迟报", "终报未报",
                               "终报及时率", "及时率", NULL };
    const double widths [] = { 24, 9, 9, 9, 9, 10, 9, 9, 9, 9, 10, 10 };
    const Battlemap__ReportReply *report = meeting->timeliness;
    char *title = zsys_sprintf ("报送及时率（预报截止 %s，终报截止 %s）",
                                report->forecast_deadline, report->final_deadline);
    lxw_worksheet *sheet = s_sheet (book, "及时率", title, headers, widths);
    free (title);
    //  One row per unit, its forecasts then its finals
    lxw_row_t row = S_FIRST_ROW;
    for (size_t index = 0; index < report->n_timeliness; index++) {
        const Battlemap__TimelinessRow *first = report->timeliness [index];
        bool seen = false;
        for (size_t before = 0; before < index && !seen; before++)
            seen = streq (report->timeliness [before]->unit, first->unit);
        if (seen)
            continue;
        s_text (sheet, row, 0, first->unit, book);
        unsigned on_time = 0, expected = 0;
        for (size_t line = index; line < report->n_timeliness; line++) {
            const Battlemap__TimelinessRow *one = report->timeliness [line];
            if (!streq (one->unit, first->unit))
                continue;
            lxw_col_t column = one->kind == BATTLEMAP__FIGURE_KIND__FINAL? 6: 1;
            s_count (sheet, row, column, one->expected, book);
            s_count (sheet, row, column + 1, one->on_time, book);
            s_count (sheet, row, column + 2, one->late, book);
            s_count (sheet, row, column + 3, one->missing, book);
            s_ratio (sheet, row, column + 4, one->on_time, one->expected, book);
            on_time += one->on_time;
            expected += one->expected;
        }
        s_ratio (sheet, row++, 11, on_time, expected, book);
    }
}

static void
s_accuracy (s_book_t *book, const cli_meeting_t *meeting)
{
    const char *headers [] = { "名次", "单位", "平均得分", "后位预警", "指标", "分项", "预报",
                               "终报", "误差率", "得分", NULL };
    const double widths [] = { 6, 22, 10, 9, 28, 12, 11, 11, 9, 8 };
    lxw_worksheet *sheet = s_sheet (book, "预测准确率",
                                    "各单位预报准确率通报（得分 = 100 − 误差率）",
                                    headers, widths);
    const Battlemap__ReportReply *report = meeting->accuracy;
    lxw_row_t row = S_FIRST_ROW;
    for (size_t index = 0; index < report->n_accuracy; index++) {
        const Battlemap__AccuracyRow *one = report->accuracy [index];
        s_text (sheet, row, 1, one->unit, book);
        if (!*one->indicator) {
            if (one->rank)
                s_count (sheet, row, 0, one->rank, book);
            double score;
            if (s_decimal (one->score, &score))
                worksheet_write_number (sheet, row, 2, score, book->score);
            if (one->warned)
                s_text (sheet, row, 3, "预警", book);
        }
        else {
            s_text (sheet, row, 4, *one->indicator_name? one->indicator_name
                                                       : s_name (book, one->indicator), book);
            s_text (sheet, row, 5, one->measure, book);
            s_number (sheet, row, 6, one->forecast, book);
            s_number (sheet, row, 7, one->final, book);
            s_rate (sheet, row, 8, one->ape, book);
            double score;
            if (s_decimal (one->score, &score))
                worksheet_write_number (sheet, row, 9, score, book->score);
        }
        row++;
    }
}

static void
s_alerts (s_book_t *book, const cli_meeting_t *meeting)
{
    const char *headers [] = { "编号", "级别", "规则", "期间", "单位", "指标", "分项", "数值",
                               "说明", "触发时间", NULL };
    const double widths [] = { 7, 7, 11, 9, 18, 26, 10, 9, 60, 26 };
    lxw_worksheet *sheet = s_sheet (book, "预警", "未解除的预警", headers, widths);
    const Battlemap__AlertReply *alerts = meeting->alerts;
    lxw_row_t row = S_FIRST_ROW;
    for (size_t index = 0; index < alerts->n_alerts; index++) {
        const Battlemap__Alert *one = alerts->alerts [index];
        if (!streq (one->state, "firing"))
            continue;
        worksheet_write_number (sheet, row, 0, (double) one->id, book->numbers [0]);
        s_text (sheet, row, 1, cli_severity_label (one->severity), book);
        s_text (sheet, row, 2, cli_rule_label (one->rule), book);
        s_text (sheet, row, 3, one->period, book);
        s_text (sheet, row, 4, one->unit, book);
        s_text (sheet, row, 5, *one->indicator_name? one->indicator_name
                                                   : s_name (book, one->indicator), book);
        s_text (sheet, row, 6, one->measure, book);
        s_number (sheet, row, 7, one->value, book);
        if (*one->message)
            worksheet_write_string (sheet, row, 8, one->message, book->wrap);
        s_text (sheet, row, 9, one->fired_at, book);
        row++;
    }
    if (row > S_FIRST_ROW)
        worksheet_autofilter (sheet, 2, 0, row - 1, 9);
}

//  ---------------------------------------------------------------------------

int
cli_meeting_write (const cli_meeting_t *meeting, const char *path)
{
    s_book_t book = { NULL };
    lxw_workbook_options options = { .constant_memory = LXW_FALSE, .tmpdir = NULL };
    book.workbook = workbook_new_opt (path, &options);
    if (!book.workbook) {
        fprintf (stderr, _("battlemap report meeting: cannot write %s\n"), path);
        return -1;
    }
    book.district = meeting->wall->district_name;
    book.as_of = meeting->wall->as_of;
    snprintf (book.month, sizeof book.month, "%.4s年%d月", meeting->wall->period,
              atoi (meeting->wall->period + 5));
    book.names = zhash_new ();
    for (size_t index = 0; index < meeting->all->n_tasks; index++) {
        const Battlemap__WallTask *task = meeting->all->tasks [index];
        zhash_insert (book.names, task->indicator, task->indicator_name);
        for (size_t item = 0; item < task->n_measures; item++)
            zhash_insert (book.names, task->measures [item]->indicator,
                          task->measures [item]->indicator_name);
    }
    lxw_doc_properties properties = { .title = "挂图作战 党组会审议材料",
                                      .company = (char *) book.district };
    workbook_set_properties (book.workbook, &properties);
    s_formats (&book);
    s_summary (&book, meeting);
    s_battle_map (&book, meeting);
    s_rankings (&book, meeting);
    s_timeliness (&book, meeting);
    s_accuracy (&book, meeting);
    s_alerts (&book, meeting);
    lxw_error error = workbook_close (book.workbook);
    zhash_destroy (&book.names);
    if (error != LXW_NO_ERROR) {
        fprintf (stderr, _("battlemap report meeting: cannot write %s: %s\n"), path,
                 lxw_strerror (error));
        return -1;
    }
    return 0;
}
