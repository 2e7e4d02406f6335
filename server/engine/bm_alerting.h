/*  bm_alerting: the lifecycle of alerts, in memory.

    An alert is identified by its labels (rule, district, unit, indicator,
    measure, period, kind). It fires once, is updated (not fired again)
    while only its severity or value moves, and resolves once. The firing
    alerts are held here, loaded from the database at start; each change is
    queued in the turn's batch (the alert's row, whole) with its event. A
    silenced alert changes without telling anyone until its silence ends;
    its resolution is always told. When and at what severity an alert
    should fire is decided by the pure rules of bm_alert_rules; bm_alerts
    applies them to cells, reports, deadlines and rankings.
*/
#ifndef BM_ALERTING_H_INCLUDED
#define BM_ALERTING_H_INCLUDED

#include "battlemap.pb-c.h"
#include "bm_alert_rules.h"
#include "bm_arena.h"
#include "bm_events.h"
#include "bm_turn.h"

typedef struct {
    const char *rule;           //  lagging report_due report_overdue bottom_rank
                                //  trajectory text_overdue
    const char *district;
    const char *unit;
    const char *indicator;      //  code, "" for a unit's reports
    const char *measure;
    const char *period;         //  YYYY-MM
    const char *kind;           //  report rules: forecast | final, else ""
    const char *indicator_name; //  not a label: the indicator's name, NULL if none
} bm_labels_t;

//  A firing alert
typedef struct {
    int64_t id;
    char *labels;               //  the labels joined by '|'
    bm_labels_t names;          //  the labels, each a string of the alert's
    bm_severity_t severity;
    char *value;                //  what it is about, e.g. "83.8"
    char *message;              //  for a person, in Chinese
    int64_t fired_at;
    int64_t updated_at;
    int64_t acked_at;           //  0: not acknowledged
    char *acked_by;
    char *ack_reason;
    int64_t silenced_until;     //  0: not silenced
    char *silenced_by;
    char *silence_reason;
    char *indicator_name;       //  the indicator's Chinese name ("" if none)
} bm_alert_t;

typedef struct _bm_alerting_t bm_alerting_t;

bm_alerting_t *
    bm_alerting_new (void);

void
    bm_alerting_destroy (bm_alerting_t **self_p);

//  A firing alert read from the database (loading); copied
void
    bm_alerting_restore (bm_alerting_t *self, const bm_alert_t *alert);

//  The last alert row id in the database (loading)
void
    bm_alerting_set_last (bm_alerting_t *self, int64_t id);

//  The severity a firing alert has, NONE if none fires with these labels
bm_severity_t
    bm_alerting_current (bm_alerting_t *self, const bm_labels_t *labels);

//  Apply a decision at `now` (seconds; `at` as text): fire, update, or
//  resolve the alert with these labels, queueing its row and its event (a
//  decision that does not apply changes nothing)
void
    bm_alerting_apply (bm_alerting_t *self, bm_events_t *events, bm_turn_t *turn,
                       int64_t now, const char *at, const bm_labels_t *labels,
                       bm_alert_decision_t decision, const char *value, const char *message);

//  Resolve the alert with these labels, if it fires, as superseded: a
//  later period's figure has arrived
void
    bm_alerting_supersede (bm_alerting_t *self, bm_events_t *events, bm_turn_t *turn,
                           int64_t now, const char *at, const bm_labels_t *labels);

//  How many alerts fire
//  True when an alert about the cell fires, of any rule or period
bool
    bm_alerting_cell_firing (bm_alerting_t *self, const char *district, const char *unit,
                             const char *indicator, const char *measure);

size_t
    bm_alerting_count (bm_alerting_t *self);

//  The firing alerts: first, then next until NULL (no changes in between)
bm_alert_t *
    bm_alerting_first (bm_alerting_t *self);
bm_alert_t *
    bm_alerting_next (bm_alerting_t *self);

//  A firing alert by its id, NULL if none
bm_alert_t *
    bm_alerting_find (bm_alerting_t *self, int64_t id);

//  Acknowledge, or silence until a time, a firing alert; its row is queued
void
    bm_alerting_ack (bm_turn_t *turn, bm_alert_t *alert, int64_t now, const char *by,
                     const char *reason);
void
    bm_alerting_silence (bm_turn_t *turn, bm_alert_t *alert, const char *by,
                         const char *reason, int64_t until);

//  Fill a reply's alert (state firing), strings from the arena
void
    bm_alerting_fill (const bm_alert_t *alert, bm_arena_t *arena, Battlemap__Alert *out);

#endif
