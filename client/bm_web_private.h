/*  bm_web_private: what bm_web.c and bm_web_api.c share. */
#ifndef BM_WEB_PRIVATE_H_INCLUDED
#define BM_WEB_PRIVATE_H_INCLUDED

#include "bm_web.h"
#include <microhttpd.h>

//  The gateway's configuration, as copied by bm_web_new
const bm_web_config_t *
    bm_web_config (bm_web_t *self);

//  Queues `json` (taken and freed) with an HTTP status
enum MHD_Result
    bm_web_reply (struct MHD_Connection *connection, unsigned status, char *json);

//  Queues {"error": message, "code": code, "parameter": parameter} (parameter
//  may be NULL) with an HTTP status
enum MHD_Result
    bm_web_error (struct MHD_Connection *connection, unsigned status, const char *code,
                  const char *parameter, const char *message);

//  Answers GET /api/<view> for the views of the server (url starts /api/)
enum MHD_Result
    bm_web_api_answer (bm_web_t *self, struct MHD_Connection *connection, const char *url);

#endif
