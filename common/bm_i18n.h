/*  bm_i18n: the text a person reads, through GNU gettext.

    English is the source language and the fallback; the zh_CN catalog
    (common/po/zh_CN.po, compiled by the build) gives the Chinese. Wrap
    every string a user reads in _() where it is used, or N_() where it
    sits in a table and is translated with _() when printed.
*/
#ifndef BM_I18N_H_INCLUDED
#define BM_I18N_H_INCLUDED

#include <libintl.h>

#define BM_TEXT_DOMAIN "battlemap"
#define _(text)  gettext (text)
#define N_(text) (text)

//  Takes the locale from the environment (LANG, LC_ALL, LANGUAGE), keeps
//  character handling UTF-8 whatever it says, and binds the catalog: from
//  $BATTLEMAP_LOCALEDIR, else the build tree, else the install prefix.
void
    bm_i18n_init (void);

#endif
