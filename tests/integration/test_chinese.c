/*  The system speaks Chinese: under LANG=zh_CN.UTF-8 battlemapd's refusals,
    the plan-load receipt, a figure's refused receipt and the help texts come
    out of the zh_CN catalog; under LANG=C the same are English. The
    children (battlemapd, battlemap) take the locale from the environment
    this test sets before it starts them. Fails when the catalog is missing
    from the build tree or not bound. */

#include "harness.h"

#include <czmq.h>
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

//  The children's locale: LANG, with nothing that overrides it
static void
s_language (const char *lang)
{
    unsetenv ("LC_ALL");
    unsetenv ("LC_MESSAGES");
    unsetenv ("LANGUAGE");
    unsetenv ("BATTLEMAP_LOCALEDIR");
    setenv ("LANG", lang, 1);
}

static void
s_contains (const char *output, const char *text)
{
    if (!strstr (output, text))
        fail_msg ("expected \"%s\" in:\n%s", text, output);
}

static void
s_lacks (const char *output, const char *text)
{
    if (strstr (output, text))
        fail_msg ("did not expect \"%s\" in:\n%s", text, output);
}

static void
test_catalog_built (void **state)
{
    char *catalog = zsys_sprintf ("%s/locale/zh_CN/LC_MESSAGES/battlemap.mo",
                                  getenv ("BM_BINARY_DIR"));
    if (!zsys_file_exists (catalog))
        fail_msg ("%s is missing: the build compiles it from common/po/zh_CN.po", catalog);
    free (catalog);
    locale_t chinese = newlocale (LC_ALL_MASK, "zh_CN.UTF-8", (locale_t) 0);
    if (!chinese)
        fail_msg ("the zh_CN.UTF-8 locale is missing: run deploy/install-deps.sh");
    freelocale (chinese);
}

//  One unknown indicator, as a town's clerk might type it
static int
s_submit_unknown (harness_t *server, char **output)
{
    return harness_cli (server, output, "submit", "--district", "qingpu",
                        "--unit", "赵巷镇", "--indicator", "no-such-indicator",
                        "--period", "2023-06", "--kind", "forecast", "--value", "1", NULL);
}

static void
test_chinese (void **state)
{
    s_language ("zh_CN.UTF-8");
    harness_t *server = harness_start (NULL, true);
    char *output;

    //  The help texts
    assert_int_equal (harness_cli (server, &output, "--help", NULL), 0);
    s_contains (output, "用法：battlemap");
    s_contains (output, "退出码");
    s_contains (output, "向服务器载入计划");
    s_lacks (output, "exit codes");
    free (output);
    assert_int_equal (harness_cli (server, &output, "plan", "--help", NULL), 0);
    s_contains (output, "校验并载入计划");
    free (output);
    assert_int_equal (harness_cli (server, &output, "outbox", "--help", NULL), 0);
    s_contains (output, "待发箱");
    free (output);
    assert_int_equal (harness_cli (server, &output, "submit", "--help", NULL), 0);
    s_contains (output, "用法：");
    s_lacks (output, "usage:");
    free (output);

    //  A receipt: the plan loaded again, nothing changed
    char *plan = harness_source_path ("deploy/plans/qingpu-2023");
    assert_int_equal (harness_cli (server, &output, "plan", "load", plan, NULL), 0);
    s_contains (output, "计划 qingpu-2023 已载入");
    s_contains (output, "未变更");
    free (output);

    //  An error from the server, in the figure's refused receipt
    assert_int_equal (s_submit_unknown (server, &output), 1);
    s_contains (output, "第 1 条：指标“no-such-indicator”不在 qingpu 区 2023 年的计划中");
    free (output);

    //  A figure's receipt, and the wall's statuses, in Chinese words
    if (harness_cli (server, &output, "submit", "--district", "qingpu", "--unit", "赵巷镇",
                     "--indicator", "industrial-output", "--period", "2023-06", "--kind",
                     "final", "--value", "１２．５亿元", NULL))
        fail_msg ("the figure was not stored:\n%s", output);
    s_contains (output, "新增");
    s_contains (output, "终报");
    s_contains (output, "12.5");
    s_lacks (output, "created");
    free (output);
    assert_int_equal (harness_cli (server, &output, "wall", "--district", "qingpu",
                                   "--period", "2023-06", NULL), 0);
    s_contains (output, "未报送");
    s_lacks (output, "not reported");
    free (output);

    //  An error of the server's whole request, and one of the command itself
    char *broken = zsys_sprintf ("%s/broken-plan", server->datadir);
    assert_int_equal (zsys_dir_create ("%s", broken), 0);
    char *file = zsys_sprintf ("%s/plan.csv", broken);
    FILE *handle = fopen (file, "w");
    assert_non_null (handle);
    fputs ("plan,district,district_name,year,title\n", handle);
    fclose (handle);
    assert_int_not_equal (harness_cli (server, &output, "plan", "load", broken, NULL), 0);
    s_contains (output, "缺少文件：计划至少需要");
    free (output);
    assert_int_equal (harness_cli (server, &output, "no-such-command", NULL), 2);
    s_contains (output, "不是命令");
    free (output);

    free (file);
    free (broken);
    free (plan);
    harness_stop (&server, false);
}

static void
test_english (void **state)
{
    s_language ("C");
    harness_t *server = harness_start (NULL, true);
    char *output;
    assert_int_equal (harness_cli (server, &output, "--help", NULL), 0);
    s_contains (output, "usage: battlemap");
    s_contains (output, "exit codes");
    s_lacks (output, "用法");
    free (output);
    char *plan = harness_source_path ("deploy/plans/qingpu-2023");
    assert_int_equal (harness_cli (server, &output, "plan", "load", plan, NULL), 0);
    s_contains (output, "plan qingpu-2023 loaded");
    free (output);
    assert_int_equal (s_submit_unknown (server, &output), 1);
    s_contains (output, "figure 1: indicator \"no-such-indicator\" is not in the qingpu plan");
    s_lacks (output, "计划中");
    free (output);
    free (plan);
    harness_stop (&server, false);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_catalog_built),
        cmocka_unit_test (test_chinese),
        cmocka_unit_test (test_english),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
