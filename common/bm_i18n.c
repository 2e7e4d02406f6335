/*  bm_i18n: binding the catalog at start. */

#include "bm_i18n.h"

#include <langinfo.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef BM_BUILD_LOCALEDIR
#   define BM_BUILD_LOCALEDIR ""
#endif
#ifndef BM_INSTALL_LOCALEDIR
#   define BM_INSTALL_LOCALEDIR "/usr/local/share/locale"
#endif

void
bm_i18n_init (void)
{
    setlocale (LC_ALL, "");
    //  Text is UTF-8 end to end: a "C" or non-UTF-8 environment still
    //  measures and converts characters as UTF-8
    const char *codeset = nl_langinfo (CODESET);
    if (!codeset || strcmp (codeset, "UTF-8") != 0)
        setlocale (LC_CTYPE, "C.UTF-8");
    const char *directory = getenv ("BATTLEMAP_LOCALEDIR");
    if (!directory || !*directory) {
        directory = BM_INSTALL_LOCALEDIR;
        if (*BM_BUILD_LOCALEDIR && access (BM_BUILD_LOCALEDIR, R_OK) == 0)
            directory = BM_BUILD_LOCALEDIR;
    }
    bindtextdomain (BM_TEXT_DOMAIN, directory);
    bind_textdomain_codeset (BM_TEXT_DOMAIN, "UTF-8");
    textdomain (BM_TEXT_DOMAIN);
}
