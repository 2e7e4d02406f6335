/*  bm_req_plan: load a plan's files. The plan is validated whole, stored
    in a transaction of its own, and the engine's image built again from
    the database, so that what the server holds is what the record has. */

#include "bm_requests.h"
#include "bm_loader.h"
#include "bm_planload.h"
#include "bm_i18n.h"

int
bm_req_plan_load (bm_request_t *request, const Battlemap__Envelope *envelope)
{
    const Battlemap__PlanLoadRequest *load = envelope->plan_load;
    if (load->n_files == 0)
        return bm_request_error (request, BATTLEMAP__ERROR_CODE__PLAN_INVALID, 0,
                                 _("no plan files were sent"));
    bm_plan_file_t *files = bm_arena_alloc (request->arena, load->n_files * sizeof *files);
    for (size_t index = 0; index < load->n_files; index++) {
        files [index].name = load->files [index]->name;
        files [index].content = (const char *) load->files [index]->content.data;
        files [index].size = load->files [index]->content.len;
    }
    zlist_t *errors = zlist_new ();
    zlist_autofree (errors);
    Battlemap__PlanLoadReply *reply = bm_arena_alloc (request->arena, sizeof *reply);
    battlemap__plan_load_reply__init (reply);
    int rc = bm_planload_files (bm_store_db (request->store), files, load->n_files,
                                bm_request_now (request), reply, errors);
    if (rc > 0) {
        bm_request_error (request, BATTLEMAP__ERROR_CODE__PLAN_INVALID, 0,
                          ngettext ("the plan has %zu error; nothing was loaded",
                                    "the plan has %zu errors; nothing was loaded",
                                    zlist_size (errors)), zlist_size (errors));
        for (char *error = zlist_first (errors); error; error = zlist_next (errors))
            bm_request_error_detail (request, error);
    }
    zlist_destroy (&errors);
    if (rc < 0)
        return bm_request_error (request, BATTLEMAP__ERROR_CODE__INTERNAL, 0,
                                 _("the plan could not be stored; nothing was loaded"));
    if (rc > 0)
        return -1;
    char *code = reply->plan;
    reply->plan = bm_arena_strdup (request->arena, code);
    free (code);
    if (reply->changed
    &&  bm_loader_load (request->engine, bm_store_db (request->store)))
        return bm_request_error (request, BATTLEMAP__ERROR_CODE__INTERNAL, 0,
                                 _("the plan was stored, but the server could not read it back;"
                                 " it is reading it again"));
    request->reply->body_case = BATTLEMAP__ENVELOPE__BODY_PLAN_LOAD_REPLY;
    request->reply->plan_load_reply = reply;
    return 0;
}
