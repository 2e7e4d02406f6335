/*  bm_alerting: the lifecycle of alerts, in memory. */

#include "bm_alerting.h"
#include "bm_cycle.h"

#include <string.h>

//  Structure of our class

struct _bm_alerting_t {
    zhashx_t *firing;           //  labels -> bm_alert_t
    zhashx_t *cells;            //  district|unit|indicator|measure -> how many of
                                //  the firing alerts are about that cell
    int64_t last_id;            //  the last alert row id handed out
};

static void
s_alert_destroy (bm_alert_t **alert_p)
{
    bm_alert_t *alert = *alert_p;
    if (!alert)
        return;
    free (alert->labels);
    free (alert->value);
    free (alert->message);
    free (alert->acked_by);
    free (alert->ack_reason);
    free (alert->silenced_by);
    free (alert->silence_reason);
    free (alert->indicator_name);
    free (alert);
    *alert_p = NULL;
}

bm_alerting_t *
bm_alerting_new (void)
{
    bm_alerting_t *self = (bm_alerting_t *) zmalloc (sizeof (bm_alerting_t));
    self->firing = zhashx_new ();
    zhashx_set_destructor (self->firing, (zhashx_destructor_fn *) s_alert_destroy);
    self->cells = zhashx_new ();
    zhashx_set_destructor (self->cells, NULL);
    zhashx_set_duplicator (self->cells, NULL);
    return self;
}

void
bm_alerting_destroy (bm_alerting_t **self_p)
{
    assert (self_p);
    bm_alerting_t *self = *self_p;
    if (!self)
        return;
    zhashx_destroy (&self->firing);
    zhashx_destroy (&self->cells);
    free (self);
    *self_p = NULL;
}

//  Keys: the parts joined by '|', into buf (S_KEY_MAX)
#define S_KEY_MAX 2048

static char *
s_join (const char *const *parts, size_t count, char *buf)
{
    //  Cut short, never past the end, if the parts were ever that long
    const size_t limit = S_KEY_MAX - 1;
    size_t length = 0;
    for (size_t index = 0; index < count; index++) {
        size_t size = strlen (parts [index]);
        if (size > limit - length)
            size = limit - length;
        memcpy (buf + length, parts [index], size);
        length += size;
        if (index + 1 < count && length < limit)
            buf [length++] = '|';
    }
    buf [length] = '\0';
    return buf;
}

//  An alert's key: its labels
static char *
s_key (const bm_labels_t *labels, char *buf)
{
    const char *parts [] = { labels->rule, labels->district, labels->unit, labels->indicator,
                             labels->measure, labels->period, labels->kind };
    return s_join (parts, 7, buf);
}

//  The cell's key
static char *
s_cell_key (const char *district, const char *unit, const char *indicator,
            const char *measure, char *buf)
{
    const char *parts [] = { district, unit, indicator, measure };
    return s_join (parts, 4, buf);
}

//  One more (or one fewer) firing alert about the alert's cell
static void
s_count_cell (bm_alerting_t *self, const bm_alert_t *alert, int change)
{
    char key [S_KEY_MAX];
    s_cell_key (alert->names.district, alert->names.unit, alert->names.indicator,
                alert->names.measure, key);
    intptr_t count = (intptr_t) zhashx_lookup (self->cells, key) + change;
    if (count > 0)
        zhashx_update (self->cells, key, (void *) count);
    else
        zhashx_delete (self->cells, key);
}

//  Points the alert's label names into its own copy of the key
static void
s_split (bm_alert_t *alert)
{
    const char **fields [] = { &alert->names.rule, &alert->names.district, &alert->names.unit,
                               &alert->names.indicator, &alert->names.measure,
                               &alert->names.period, &alert->names.kind };
    char *copy = alert->labels + strlen (alert->labels) + 1;
    for (size_t index = 0; index < 7; index++) {
        *fields [index] = copy;
        char *bar = strchr (copy, '|');
        if (bar) {
            *bar = '\0';
            copy = bar + 1;
        }
        else
            copy += strlen (copy);
    }
}

//  A new alert's storage: the key, and after it a copy split into labels
static bm_alert_t *
s_alert_new (const char *key)
{
    bm_alert_t *alert = (bm_alert_t *) zmalloc (sizeof (bm_alert_t));
    size_t length = strlen (key);
    alert->labels = (char *) malloc (2 * length + 2);
    assert (alert->labels);
    memcpy (alert->labels, key, length + 1);
    memcpy (alert->labels + length + 1, key, length + 1);
    s_split (alert);
    return alert;
}

static char *
s_copy (const char *text)
{
    return strdup (text? text: "");
}

void
bm_alerting_restore (bm_alerting_t *self, const bm_alert_t *loaded)
{
    bm_alert_t *alert = s_alert_new (loaded->labels);
    alert->id = loaded->id;
    alert->severity = loaded->severity;
    alert->value = s_copy (loaded->value);
    alert->message = s_copy (loaded->message);
    alert->fired_at = loaded->fired_at;
    alert->updated_at = loaded->updated_at;
    alert->acked_at = loaded->acked_at;
    alert->acked_by = s_copy (loaded->acked_by);
    alert->ack_reason = s_copy (loaded->ack_reason);
    alert->silenced_until = loaded->silenced_until;
    alert->silenced_by = s_copy (loaded->silenced_by);
    alert->silence_reason = s_copy (loaded->silence_reason);
    alert->indicator_name = s_copy (loaded->indicator_name);
    if (!zhashx_lookup (self->firing, alert->labels))
        s_count_cell (self, alert, 1);
    zhashx_update (self->firing, alert->labels, alert);
}

void
bm_alerting_set_last (bm_alerting_t *self, int64_t id)
{
    self->last_id = id;
}

bm_severity_t
bm_alerting_current (bm_alerting_t *self, const bm_labels_t *labels)
{
    char key [S_KEY_MAX];
    bm_alert_t *alert = (bm_alert_t *) zhashx_lookup (self->firing, s_key (labels, key));
    return alert? alert->severity: BM_SEVERITY_NONE;
}

bm_alert_t *
bm_alerting_first (bm_alerting_t *self)
{
    return (bm_alert_t *) zhashx_first (self->firing);
}

bm_alert_t *
bm_alerting_next (bm_alerting_t *self)
{
    return (bm_alert_t *) zhashx_next (self->firing);
}

bm_alert_t *
bm_alerting_find (bm_alerting_t *self, int64_t id)
{
    for (bm_alert_t *alert = zhashx_first (self->firing); alert;
         alert = zhashx_next (self->firing))
        if (alert->id == id)
            return alert;
    return NULL;
}

//  ---------------------------------------------------------------------------

static const char *
s_time (int64_t when, char *buf)
{
    return when? bm_time_format (when, buf): NULL;
}

//  Queues the alert's row as it stands; resolution: NULL while it fires,
//  else "cleared" or "superseded"
static void
s_queue (bm_turn_t *turn, const bm_alert_t *alert, const char *resolution,
         int64_t resolved_at)
{
    bool resolved = resolution != NULL;
    char id [24], fired [BM_TIME_STR_MAX], updated [BM_TIME_STR_MAX];
    char resolved_text [BM_TIME_STR_MAX], acked [BM_TIME_STR_MAX], silenced [BM_TIME_STR_MAX];
    snprintf (id, sizeof id, "%lld", (long long) alert->id);
    const bm_labels_t *names = &alert->names;
    const char *values [] = {
        id, alert->labels, names->rule, names->district, names->unit, names->indicator,
        names->measure, names->period, names->kind, bm_severity_name (alert->severity),
        resolved? "resolved": "firing", alert->value, alert->message,
        s_time (alert->fired_at, fired), s_time (alert->updated_at, updated),
        resolved? s_time (resolved_at, resolved_text): NULL,
        s_time (alert->acked_at, acked), alert->acked_by, alert->ack_reason,
        s_time (alert->silenced_until, silenced), alert->silenced_by, alert->silence_reason,
        resolved? resolution: ""
    };
    bm_batch_alert (turn->batch, values);
}

static void
s_fill (const bm_alert_t *alert, bm_arena_t *arena, const char *resolution,
        int64_t resolved_at, Battlemap__Alert *out)
{
    bool resolved = resolution != NULL;
    char buf [BM_TIME_STR_MAX];
    const bm_labels_t *names = &alert->names;
    out->id = alert->id;
    out->rule = bm_arena_strdup (arena, names->rule);
    out->district = bm_arena_strdup (arena, names->district);
    out->unit = bm_arena_strdup (arena, names->unit);
    out->indicator = bm_arena_strdup (arena, names->indicator);
    out->measure = bm_arena_strdup (arena, names->measure);
    out->period = bm_arena_strdup (arena, names->period);
    out->kind = bm_arena_strdup (arena, names->kind);
    out->severity = bm_arena_strdup (arena, bm_severity_name (alert->severity));
    out->state = resolved? "resolved": "firing";
    out->value = bm_arena_strdup (arena, alert->value);
    out->message = bm_arena_strdup (arena, alert->message);
    out->fired_at = bm_arena_strdup (arena, bm_time_format (alert->fired_at, buf));
    out->updated_at = bm_arena_strdup (arena, bm_time_format (alert->updated_at, buf));
    out->resolved_at = bm_arena_strdup (arena, resolved? bm_time_format (resolved_at, buf): "");
    out->acked_by = bm_arena_strdup (arena, alert->acked_by);
    out->ack_reason = bm_arena_strdup (arena, alert->ack_reason);
    out->silenced_until = bm_arena_strdup (arena, alert->silenced_until
                                                  ? bm_time_format (alert->silenced_until, buf)
                                                  : "");
    out->silence_reason = bm_arena_strdup (arena, alert->silence_reason);
    out->indicator_name = bm_arena_strdup (arena, alert->indicator_name);
    out->resolution = bm_arena_strdup (arena, resolved? resolution: "");
}

void
bm_alerting_fill (const bm_alert_t *alert, bm_arena_t *arena, Battlemap__Alert *out)
{
    s_fill (alert, arena, NULL, 0, out);
}

//  Its event: fired, updated or resolved
static void
s_event (bm_events_t *events, bm_turn_t *turn, const char *at, const bm_alert_t *alert,
         const char *action, const char *resolution, int64_t resolved_at)
{
    bm_arena_t *arena = bm_arena_new ();
    Battlemap__Alert payload_alert = BATTLEMAP__ALERT__INIT;
    s_fill (alert, arena, resolution, resolved_at, &payload_alert);
    Battlemap__AlertEvent payload = BATTLEMAP__ALERT_EVENT__INIT;
    payload.action = (char *) action;
    payload.alert = &payload_alert;
    Battlemap__Event event = BATTLEMAP__EVENT__INIT;
    event.kind = "alert";
    event.payload_case = BATTLEMAP__EVENT__PAYLOAD_ALERT;
    event.alert = &payload;
    char *topic = zsys_sprintf ("alert/%s/%s/%s/%s/", alert->names.district, alert->names.unit,
                                *alert->names.indicator? alert->names.indicator: "-",
                                bm_severity_name (alert->severity));
    bm_events_queue (events, turn, topic, at, &event);
    free (topic);
    bm_arena_destroy (&arena);
}

//  Resolves a firing alert: its row, its event, and it fires no more
static void
s_resolve (bm_alerting_t *self, bm_events_t *events, bm_turn_t *turn, int64_t now,
           const char *at, bm_alert_t *alert, const char *resolution)
{
    alert->updated_at = now;
    s_queue (turn, alert, resolution, now);
    s_event (events, turn, at, alert, "resolved", resolution, now);
    s_count_cell (self, alert, -1);
    zhashx_delete (self->firing, alert->labels);
}

void
bm_alerting_apply (bm_alerting_t *self, bm_events_t *events, bm_turn_t *turn,
                   int64_t now, const char *at, const bm_labels_t *labels,
                   bm_alert_decision_t decision, const char *value, const char *message)
{
    if (!decision.applies)
        return;
    char key [S_KEY_MAX];
    s_key (labels, key);
    bm_alert_t *alert = (bm_alert_t *) zhashx_lookup (self->firing, key);
    if (decision.severity != BM_SEVERITY_NONE && !alert) {
        alert = s_alert_new (key);
        alert->id = ++self->last_id;
        alert->severity = decision.severity;
        alert->value = s_copy (value);
        alert->message = s_copy (message);
        alert->fired_at = alert->updated_at = now;
        alert->acked_by = s_copy ("");
        alert->ack_reason = s_copy ("");
        alert->silenced_by = s_copy ("");
        alert->silence_reason = s_copy ("");
        alert->indicator_name = s_copy (labels->indicator_name);
        zhashx_insert (self->firing, key, alert);
        s_count_cell (self, alert, 1);
        s_queue (turn, alert, NULL, 0);
        s_event (events, turn, at, alert, "fired", NULL, 0);
    }
    else
    if (decision.severity != BM_SEVERITY_NONE
    &&  (alert->severity != decision.severity || !streq (alert->value, value))) {
        bool silenced = alert->silenced_until > now;
        alert->severity = decision.severity;
        free (alert->value);
        alert->value = s_copy (value);
        free (alert->message);
        alert->message = s_copy (message);
        alert->updated_at = now;
        s_queue (turn, alert, NULL, 0);
        if (!silenced)
            s_event (events, turn, at, alert, "updated", NULL, 0);
    }
    else
    if (decision.severity == BM_SEVERITY_NONE && alert)
        s_resolve (self, events, turn, now, at, alert, "cleared");
}

void
bm_alerting_supersede (bm_alerting_t *self, bm_events_t *events, bm_turn_t *turn,
                       int64_t now, const char *at, const bm_labels_t *labels)
{
    char key [S_KEY_MAX];
    bm_alert_t *alert = (bm_alert_t *) zhashx_lookup (self->firing, s_key (labels, key));
    if (alert)
        s_resolve (self, events, turn, now, at, alert, "superseded");
}

bool
bm_alerting_cell_firing (bm_alerting_t *self, const char *district, const char *unit,
                         const char *indicator, const char *measure)
{
    char key [S_KEY_MAX];
    return zhashx_lookup (self->cells, s_cell_key (district, unit, indicator, measure, key))
           != NULL;
}

size_t
bm_alerting_count (bm_alerting_t *self)
{
    return zhashx_size (self->firing);
}

void
bm_alerting_ack (bm_turn_t *turn, bm_alert_t *alert, int64_t now, const char *by,
                 const char *reason)
{
    alert->acked_at = now;
    free (alert->acked_by);
    alert->acked_by = s_copy (by);
    free (alert->ack_reason);
    alert->ack_reason = s_copy (reason);
    s_queue (turn, alert, NULL, 0);
}

void
bm_alerting_silence (bm_turn_t *turn, bm_alert_t *alert, const char *by, const char *reason,
                     int64_t until)
{
    alert->silenced_until = until;
    free (alert->silenced_by);
    alert->silenced_by = s_copy (by);
    free (alert->silence_reason);
    alert->silence_reason = s_copy (reason);
    s_queue (turn, alert, NULL, 0);
}
