/*  bm_subscriptions: how much a key may subscribe. */

#include "bm_subscriptions.h"

#include <czmq.h>

typedef struct {
    zhashx_t *prefixes;         //  the distinct prefixes it holds
    int64_t window;             //  when its minute began
    size_t messages;            //  subscriptions in that minute
} s_key_t;

struct _bm_subscriptions_t {
    zhashx_t *keys;             //  key -> s_key_t
    zhashx_t *barred;           //  key -> until when (int64_t)
    size_t prefixes;
    size_t messages;
    int64_t bar;
};

static void
s_key_destroy (void **item)
{
    s_key_t *entry = (s_key_t *) *item;
    if (entry) {
        zhashx_destroy (&entry->prefixes);
        free (entry);
        *item = NULL;
    }
}

bm_subscriptions_t *
bm_subscriptions_new (size_t prefixes, size_t messages, int64_t bar_ms)
{
    bm_subscriptions_t *self = (bm_subscriptions_t *) zmalloc (sizeof (bm_subscriptions_t));
    self->keys = zhashx_new ();
    zhashx_set_destructor (self->keys, s_key_destroy);
    self->barred = zhashx_new ();
    zhashx_set_destructor (self->barred, (zhashx_destructor_fn *) zstr_free);
    self->prefixes = prefixes;
    self->messages = messages;
    self->bar = bar_ms;
    return self;
}

void
bm_subscriptions_destroy (bm_subscriptions_t **self_p)
{
    assert (self_p);
    bm_subscriptions_t *self = *self_p;
    if (self) {
        zhashx_destroy (&self->keys);
        zhashx_destroy (&self->barred);
        free (self);
        *self_p = NULL;
    }
}

int
bm_subscriptions_add (bm_subscriptions_t *self, const char *key, const char *prefix,
                      int64_t now)
{
    if (bm_subscriptions_barred (self, key, now))
        return -1;
    s_key_t *entry = (s_key_t *) zhashx_lookup (self->keys, key);
    if (!entry) {
        entry = (s_key_t *) zmalloc (sizeof (s_key_t));
        entry->prefixes = zhashx_new ();
        entry->window = now;
        zhashx_insert (self->keys, key, entry);
    }
    if (now - entry->window >= 60000) {
        entry->window = now;
        entry->messages = 0;
    }
    entry->messages++;
    if (!zhashx_lookup (entry->prefixes, prefix))
        zhashx_insert (entry->prefixes, prefix, (void *) 1);
    if (entry->messages <= self->messages && zhashx_size (entry->prefixes) <= self->prefixes)
        return 0;
    int64_t *until = (int64_t *) zmalloc (sizeof (int64_t));
    *until = now + self->bar;
    zhashx_update (self->barred, key, until);
    zhashx_delete (self->keys, key);
    return -1;
}

void
bm_subscriptions_remove (bm_subscriptions_t *self, const char *key, const char *prefix)
{
    s_key_t *entry = (s_key_t *) zhashx_lookup (self->keys, key);
    if (entry)
        zhashx_delete (entry->prefixes, prefix);
}

bool
bm_subscriptions_barred (bm_subscriptions_t *self, const char *key, int64_t now)
{
    int64_t *until = (int64_t *) zhashx_lookup (self->barred, key);
    if (until && *until <= now) {
        zhashx_delete (self->barred, key);
        until = NULL;
    }
    return until != NULL;
}

void
bm_subscriptions_reset (bm_subscriptions_t *self)
{
    zhashx_purge (self->keys);
}
