/*  cli_format: the output formats of the views. */

#include "cli.h"
#include "cli_format.h"
#include "cli_labels.h"
#include "bm_i18n.h"
#include "bm_json.h"

#include <czmq.h>
#include <inttypes.h>
#include <stdarg.h>

int
cli_format_parse (const char *command, const char *text, cli_format_t *format)
{
    if (streq (text, "text"))
        *format = CLI_FORMAT_TEXT;
    else
    if (streq (text, "csv"))
        *format = CLI_FORMAT_CSV;
    else
    if (streq (text, "json"))
        *format = CLI_FORMAT_JSON;
    else {
        fprintf (stderr, _("battlemap %s: \"%s\" is not a format: use --format text, "
                           "--format csv or --format json\n"), command, text);
        return -1;
    }
    return 0;
}

void
cli_format_json (FILE *out, const ProtobufCMessage *message)
{
    char *text = bm_json_text (message, true);
    fputs (text, out);
    fputc ('\n', out);
    free (text);
}

void
cli_format_percent (char *text, size_t size, unsigned part, unsigned whole)
{
    if (!whole) {
        snprintf (text, size, "%s", "");
        return;
    }
    //  Tenths of a percent, rounded half up (both are positive)
    uint64_t tenths = ((uint64_t) part * 2000 / whole + 1) / 2;
    snprintf (text, size, "%" PRIu64 ".%" PRIu64, tenths / 10, tenths % 10);
}

void
cli_csv_bom (FILE *out)
{
    fputs ("\xEF\xBB\xBF", out);
}

void
cli_csv_row (FILE *out, const char *types, ...)
{
    va_list args;
    va_start (args, types);
    for (const char *type = types; *type; type++) {
        char number [32];
        const char *field = "";
        switch (*type) {
            case 's':
            case 'p':
                field = va_arg (args, const char *);
                if (!field)
                    field = "";
                break;
            case 'u':
                snprintf (number, sizeof number, "%u", va_arg (args, unsigned));
                field = number;
                break;
            case 'd':
                snprintf (number, sizeof number, "%" PRId64, va_arg (args, int64_t));
                field = number;
                break;
            case 'b':
                field = cli_yes_no (va_arg (args, int));
                break;
            default:
                assert (false);
        }
        cli_csv_field (out, field, type [1]? ',': '\n');
    }
    va_end (args);
}

void
cli_csv_header (FILE *out, const char *name, ...)
{
    va_list args;
    va_start (args, name);
    while (name) {
        const char *next = va_arg (args, const char *);
        cli_csv_field (out, name, next? ',': '\n');
        name = next;
    }
    va_end (args);
}
