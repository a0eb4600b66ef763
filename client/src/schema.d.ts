export interface paths {
    "/api": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The route table
         * @description The route table: every route with who may call it and what it does, and where this document and its reference are
         *
         *     Who may call: Anyone.
         */
        get: operations["getApi"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Whether the platform is up
         * @description Whether the platform is up (503 when a worker, or a dependency one needs, is down): anyone learns up or down; ops and admins (their bearer token) every worker's checks of its dependencies with latencies
         *
         *     Who may call: Anyone.
         */
        get: operations["getApiHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * This OpenAPI 3.1 document
         * @description This OpenAPI 3.1 document
         *
         *     Who may call: Anyone.
         */
        get: operations["getApiOpenapiJson"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/docs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The interactive reference of this document
         * @description The interactive reference of this document (HTML)
         *
         *     Who may call: Anyone.
         */
        get: operations["getApiDocs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/requests": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Submit a request
         * @description Submit a request (JSON: name, email, text; or multipart/form-data with files and uploadIds + uploadTokens; Idempotency-Key honoured); answers 202 with id and statusUrl
         *
         *     Who may call: Anyone. An API key with requests:write.
         */
        post: operations["postRequests"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/uploads": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start a resumable upload of a large file
         * @description Start a resumable upload of a large file ({name, size}); answers {id, partSize, parts, uploadToken}
         *
         *     Who may call: Anyone. An API key with requests:write.
         */
        post: operations["postUploads"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/uploads/{id}/parts/{n}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Upload part n
         * @description Upload part n (x-upload-token); re-sending a part replaces it
         *
         *     Who may call: The holder of the request's status token (`?token=`) or its signed-in owner. An API key with requests:write.
         */
        put: operations["putUploadsIdPartsN"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/uploads/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * An upload's parts so far and those missing, to resume
         * @description An upload's parts so far and those missing, to resume (x-upload-token)
         *
         *     Who may call: The holder of the request's status token (`?token=`) or its signed-in owner. An API key with requests:write.
         */
        get: operations["getUploadsId"];
        put?: never;
        post?: never;
        /**
         * Abort an upload
         * @description Abort an upload (x-upload-token)
         *
         *     Who may call: The holder of the request's status token (`?token=`) or its signed-in owner. An API key with requests:write.
         */
        delete: operations["deleteUploadsId"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/uploads/{id}/complete": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Complete an upload
         * @description Complete an upload: type sniffed (forbidden types refused, 415), sha256 recorded (x-upload-token)
         *
         *     Who may call: The holder of the request's status token (`?token=`) or its signed-in owner. An API key with requests:write.
         */
        post: operations["postUploadsIdComplete"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/requests/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A request's status and results
         * @description A request's status and results (?token= from the submission, or as its signed-in owner)
         *
         *     Who may call: The holder of the request's status token (`?token=`) or its signed-in owner. An API key with requests:read.
         */
        get: operations["getRequestsId"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/requests/{id}/tasks/{taskId}/result": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One task's whole output
         * @description One task's whole output: a recording's transcript with timings, a document's text, the analysis, the draft (?token=, or as its signed-in owner); 404 until it succeeded
         *
         *     Who may call: The holder of the request's status token (`?token=`) or its signed-in owner. An API key with requests:read.
         */
        get: operations["getRequestsIdTasksTaskIdResult"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/requests/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel a request's job
         * @description Cancel a request's job (?token=, or as its signed-in owner); 409 once it finished
         *
         *     Who may call: The holder of the request's status token (`?token=`) or its signed-in owner. An API key with requests:write.
         */
        post: operations["postRequestsIdCancel"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/requests/{id}/live-ticket": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * For the request's owner
         * @description For the request's owner: the live URL with a ticket that opens one connection within 60 s ({url, expiresAt}), since a browser cannot send its session with a WebSocket or EventSource; 404 for anyone else
         *
         *     Who may call: Any signed-in user, for their own data only. An API key with requests:read.
         */
        post: operations["postRequestsIdLiveTicket"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/requests/{id}/notifications": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The messages sent about a request, oldest first
         * @description The messages sent about a request, oldest first: channel, kind, status (queued, sent, delivered, read, failed, manual, skipped), the address half hidden, times, which step of the channel order; and whether a Telegram chat is linked or offered (?token=, or as its signed-in owner)
         *
         *     Who may call: The holder of the request's status token (`?token=`) or its signed-in owner. An API key with requests:read.
         */
        get: operations["getRequestsIdNotifications"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/requests/{id}/telegram-link": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A single-use t.me link to the bot binding the chat that opens it to this request's messages
         * @description A single-use t.me link to the bot binding the chat that opens it to this request's messages ({url, code, expiresAt}; 409 when a chat is linked already) (?token=, or as its signed-in owner)
         *
         *     Who may call: The holder of the request's status token (`?token=`) or its signed-in owner.
         */
        post: operations["postRequestsIdTelegramLink"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/requests/{id}/live": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A request's job live
         * @description A request's job live: WebSocket upgrade, or Accept: text/event-stream (?token=, ?ticket= from live-ticket, or as its owner)
         *
         *     Who may call: The holder of the request's status token (`?token=`) or its signed-in owner. An API key with requests:read.
         */
        get: operations["getRequestsIdLive"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Register
         * @description Register ({email, name, password}: at least 15 characters, not a common password, not the address); always 202 with the same body, new address or taken: the address gets a 24-hour verification link, or its owner a note that someone tried. Signs no one in: sign in afterwards
         *
         *     Who may call: Anyone.
         */
        post: operations["postUsers"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/users/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Verify an address with the token of its link
         * @description Verify an address with the token of its link ({token}); single use; the requests sent with the address become the account's
         *
         *     Who may call: Anyone.
         */
        post: operations["postUsersVerify"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/users/verify/resend": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a fresh verification link to the signed-in user's unverified address
         * @description Send a fresh verification link to the signed-in user's unverified address (at most one a minute; 409 once verified)
         *
         *     Who may call: Any signed-in user, for their own data only.
         */
        post: operations["postUsersVerifyResend"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/password-resets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Ask for a password reset link
         * @description Ask for a password reset link ({email}); always 202 with the same body; the owner gets a link valid 1 hour
         *
         *     Who may call: Anyone.
         */
        post: operations["postPasswordResets"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/password-resets/confirm": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Set a new password with a reset link's token
         * @description Set a new password with a reset link's token ({token, password}); single use; every session ends
         *
         *     Who may call: Anyone.
         */
        post: operations["postPasswordResetsConfirm"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/me/password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Change the password
         * @description Change the password ({currentPassword, password}); every other session ends
         *
         *     Who may call: Any signed-in user, for their own data only.
         */
        put: operations["putMePassword"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sign in with email and password
         * @description Sign in with email and password; answers {accessToken (15 min), refreshToken, expiresIn, user} (from the site's origin: the refresh token in an HttpOnly cookie instead). After 5 wrong passwords for an account each attempt waits longer, after 10 in 15 minutes its password sign-in is locked for 15 minutes (429 with Retry-After), except for a client holding a live session of it (its cookie, or {refreshToken}, looked at and not spent)
         *
         *     Who may call: Anyone.
         */
        post: operations["postSessions"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sessions/refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A new access token and refresh token for a live refresh token
         * @description A new access token and refresh token for a live refresh token ({refreshToken}, or the site's cookie with {}); each refresh token works once, and a spent one ends its session
         *
         *     Who may call: Anyone.
         */
        post: operations["postSessionsRefresh"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sessions/current": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Sign out
         * @description Sign out: ends the session of the access token
         *
         *     Who may call: Any signed-in user, for their own data only.
         */
        delete: operations["deleteSessionsCurrent"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/.well-known/jwks.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The public keys
         * @description The public keys (JWKS) that verify access tokens (ES256)
         *
         *     Who may call: Anyone.
         */
        get: operations["getWellKnownJwksJson"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/me/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The signed-in user's live sessions
         * @description The signed-in user's live sessions: created, last used, user agent, network, which is current
         *
         *     Who may call: Any signed-in user, for their own data only.
         */
        get: operations["getMeSessions"];
        put?: never;
        post?: never;
        /**
         * End every session of the signed-in user but the current one
         * @description End every session of the signed-in user but the current one ({ended})
         *
         *     Who may call: Any signed-in user, for their own data only.
         */
        delete: operations["deleteMeSessions"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/me/sessions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * End one of the signed-in user's sessions
         * @description End one of the signed-in user's sessions (404 for anyone else's)
         *
         *     Who may call: Any signed-in user, for their own data only.
         */
        delete: operations["deleteMeSessionsId"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/me/api-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The signed-in user's API keys, newest first, revoked and expired ones too
         * @description The signed-in user's API keys, newest first, revoked and expired ones too: {keys: [{id, name, prefix, scopes, createdAt, lastUsedAt (at most a minute behind), expiresAt, revokedAt}]}, never the key
         *
         *     Who may call: Any signed-in user, for their own data only.
         */
        get: operations["getMeApiKeys"];
        put?: never;
        /**
         * Create an API key
         * @description Create an API key ({name, scopes: requests:write | requests:read | webhooks:write, expiresAt?}) for the signed-in user's systems to call as them within its scopes; answers {id, name, prefix, scopes, createdAt, expiresAt, key} with the key this once (sx_live_ in production, sx_test_ elsewhere, + 40 base62 characters; only its sha256 is kept); at most 20 live keys (409); never with an API key
         *
         *     Who may call: Any signed-in user, for their own data only.
         */
        post: operations["postMeApiKeys"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/me/api-keys/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revoke one of the signed-in user's API keys
         * @description Revoke one of the signed-in user's API keys: refused (401) from its next call (404 for anyone else's, or one revoked already)
         *
         *     Who may call: Any signed-in user, for their own data only.
         */
        delete: operations["deleteMeApiKeysId"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The signed-in user
         * @description The signed-in user
         *
         *     Who may call: Any signed-in user, for their own data only.
         */
        get: operations["getMe"];
        put?: never;
        post?: never;
        /**
         * Delete the signed-in user's account
         * @description Delete the signed-in user's account ({password}: asked again)
         *
         *     Who may call: Any signed-in user, for their own data only.
         */
        delete: operations["deleteMe"];
        options?: never;
        head?: never;
        /**
         * Update the signed-in user
         * @description Update the signed-in user
         *
         *     Who may call: Any signed-in user, for their own data only.
         */
        patch: operations["patchMe"];
        trace?: never;
    };
    "/api/me/requests": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The signed-in client's requests
         * @description The signed-in client's requests (dashboard)
         *
         *     Who may call: Any signed-in user, for their own data only. An API key with requests:read.
         */
        get: operations["getMeRequests"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/me/preferences": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * How the signed-in user wants to be told
         * @description How the signed-in user wants to be told: channels in order (null: the messaging apps given first, email last), the order that applies now, opt-outs per kind (received, ready, failed; account mail is always sent), language, WhatsApp number, LinkedIn profile, linked Telegram chats, the channels this platform offers
         *
         *     Who may call: Any signed-in user, for their own data only.
         */
        get: operations["getMePreferences"];
        /**
         * Change any of {channels, optOuts, locale, whatsapp, linkedin}
         * @description Change any of {channels, optOuts, locale, whatsapp, linkedin} (null clears one); answers the preferences as GET does
         *
         *     Who may call: Any signed-in user, for their own data only.
         */
        put: operations["putMePreferences"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/me/telegram-link": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A single-use t.me link to the bot, valid one hour
         * @description A single-use t.me link to the bot, valid one hour ({url, code, expiresAt}): the chat that opens it (/start <code>) receives the account's messages
         *
         *     Who may call: Any signed-in user, for their own data only.
         */
        post: operations["postMeTelegramLink"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/me/telegram-chats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Unlink the account's Telegram chat
         * @description Unlink the account's Telegram chat ({unlinked})
         *
         *     Who may call: Any signed-in user, for their own data only.
         */
        delete: operations["deleteMeTelegramChats"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/me/webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The signed-in user's webhook endpoints, newest first, never their secrets
         * @description The signed-in user's webhook endpoints, newest first, never their secrets: events, enabled, why disabled, failing since, when a rotated secret stops signing
         *
         *     Who may call: Any signed-in user, for their own data only. An API key with webhooks:write.
         */
        get: operations["getMeWebhooks"];
        put?: never;
        /**
         * Subscribe an endpoint to request events
         * @description Subscribe an endpoint to request events ({url, events: request.processing | request.completed | request.failed | request.cancelled, description?}); answers 201 with the endpoint and its signing secret (whsec_…) this once; the URL must be https to a public host outside the local platform (422 naming url); at most 20 an account (409)
         *
         *     Who may call: Any signed-in user, for their own data only. An API key with webhooks:write.
         */
        post: operations["postMeWebhooks"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/me/webhooks/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One of the signed-in user's webhook endpoints
         * @description One of the signed-in user's webhook endpoints (404 for anyone else's)
         *
         *     Who may call: Any signed-in user, for their own data only. An API key with webhooks:write.
         */
        get: operations["getMeWebhooksId"];
        put?: never;
        post?: never;
        /**
         * Delete an endpoint with its deliveries
         * @description Delete an endpoint with its deliveries
         *
         *     Who may call: Any signed-in user, for their own data only. An API key with webhooks:write.
         */
        delete: operations["deleteMeWebhooksId"];
        options?: never;
        head?: never;
        /**
         * Change an endpoint
         * @description Change an endpoint ({url?, events?, description?, enabled?}); enabled: true re-enables a disabled one with a clean slate
         *
         *     Who may call: Any signed-in user, for their own data only. An API key with webhooks:write.
         */
        patch: operations["patchMeWebhooksId"];
        trace?: never;
    };
    "/api/me/webhooks/{id}/rotate-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A new signing secret, answered this once
         * @description A new signing secret, answered this once; the old one keeps signing beside it until previousSecretExpiresAt (a day)
         *
         *     Who may call: Any signed-in user, for their own data only. An API key with webhooks:write.
         */
        post: operations["postMeWebhooksIdRotateSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/me/webhooks/{id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * An endpoint's deliveries, newest first, each with its payload and every attempt
         * @description An endpoint's deliveries, newest first, each with its payload and every attempt (status code, latency, the answer's first KiB, error) (?status=pending|succeeded|failed&limit=&cursor=), answering {deliveries, next}
         *
         *     Who may call: Any signed-in user, for their own data only. An API key with webhooks:write.
         */
        get: operations["getMeWebhooksIdDeliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/me/webhooks/{id}/deliveries/{deliveryId}/resend": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Re-send a delivery now, with the same webhook-id, signed afresh
         * @description Re-send a delivery now, with the same webhook-id, signed afresh; a success ends it, a failure leaves it as it was (409 while the endpoint is disabled)
         *
         *     Who may call: Any signed-in user, for their own data only. An API key with webhooks:write.
         */
        post: operations["postMeWebhooksIdDeliveriesDeliveryIdResend"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/pages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Published pages and posts, newest first, without their bodies
         * @description Published pages and posts, newest first, without their bodies (?kind=page|post; ?kind=post is the home page's list, from the edge cache)
         *
         *     Who may call: Anyone.
         */
        get: operations["getPages"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/pages/{slug}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A published page or post with its rendered body
         * @description A published page or post with its rendered body; 404 for a draft or a page scheduled later
         *
         *     Who may call: Anyone.
         */
        get: operations["getPagesSlug"];
        /**
         * Save a new version
         * @description Save a new version ({markdown, baseVersion}, or text/markdown with ?baseVersion=): markdown with front matter (title, slug, summary, kind, tags, locale, author, date, hero, heroAlt, draft), every version kept; baseVersion is the version the author loaded (0 for a new page), and a save based on an older one is refused with 409 naming the newer
         *
         *     Who may call: Authors, ops and admins.
         */
        put: operations["putPagesSlug"];
        post?: never;
        /**
         * Delete a page with every version of it
         * @description Delete a page with every version of it (content.deleted)
         *
         *     Who may call: Authors, ops and admins.
         */
        delete: operations["deletePagesSlug"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/site/rss.xml": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The site's feed
         * @description The site's feed (RSS 2.0): posts, newest first, from the edge cache (the site serves it at /rss.xml)
         *
         *     Who may call: Anyone.
         */
        get: operations["getSiteRssXml"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/site/sitemap.xml": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The sitemap
         * @description The sitemap: the home page, every published page and post, every tag's page, from the edge cache (the site serves it at /sitemap.xml)
         *
         *     Who may call: Anyone.
         */
        get: operations["getSiteSitemapXml"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/site/tags/{tag}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A tag's page as HTML
         * @description A tag's page as HTML: the published pages and posts with the tag, from the edge cache (the site serves it at /tags/<tag>); 404 while none has it
         *
         *     Who may call: Anyone.
         */
        get: operations["getSiteTagsTag"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/site/{slug}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A published page or post as HTML with canonical and Open Graph tags, from the edge cache
         * @description A published page or post as HTML with canonical and Open Graph tags, from the edge cache (the site serves it at /p/<slug>)
         *
         *     Who may call: Anyone.
         */
        get: operations["getSiteSlug"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/drafts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every page and post, most recently saved first
         * @description Every page and post, most recently saved first: its newest version (the draft), status (draft, scheduled, published), the live version and since when, what is scheduled and when, whether the draft has unpublished changes
         *
         *     Who may call: Authors, ops and admins.
         */
        get: operations["getDrafts"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/pages/{slug}/draft": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A page's draft
         * @description A page's draft: its standing as in /drafts, its source (markdown), its front matter and its preview, rendered as the site renders
         *
         *     Who may call: Authors, ops and admins.
         */
        get: operations["getPagesSlugDraft"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/pages/{slug}/versions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every saved version of a page, newest first
         * @description Every saved version of a page, newest first (who saved it, when, which version it restored), with the live and the scheduled version
         *
         *     Who may call: Authors, ops and admins.
         */
        get: operations["getPagesSlugVersions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/pages/{slug}/versions/{n}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One saved version with its source
         * @description One saved version with its source
         *
         *     Who may call: Authors, ops and admins.
         */
        get: operations["getPagesSlugVersionsN"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/pages/{slug}/versions/{n}/restore": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Save version n's source again as the newest version, the draft
         * @description Save version n's source again as the newest version, the draft ({baseVersion} optional: 409 if someone saved since)
         *
         *     Who may call: Authors, ops and admins.
         */
        post: operations["postPagesSlugVersionsNRestore"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/pages/{slug}/publish": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Publish the draft
         * @description Publish the draft (or {version}) now, or from {at} (an ISO date-time; the cron announces it then): on the site, its feeds, sitemap and search, purged from the edge cache; content.published (or content.updated for a live page) names who acted. 409 while the version's front matter says draft: true
         *
         *     Who may call: Authors, ops and admins.
         */
        post: operations["postPagesSlugPublish"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/pages/{slug}/unpublish": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Take a page off the site, its feeds, sitemap and search, and cancel what is scheduled
         * @description Take a page off the site, its feeds, sitemap and search, and cancel what is scheduled: a draft again (content.updated, unpublished)
         *
         *     Who may call: Authors, ops and admins.
         */
        post: operations["postPagesSlugUnpublish"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/pages/{slug}/preview-link": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A signed link that shows the draft
         * @description A signed link that shows the draft (or {version}) to anyone holding it, as the site would, until it expires ({expiresInMinutes}: a day unless given, a week at most); answers {url, expiresAt, version}
         *
         *     Who may call: Authors, ops and admins.
         */
        post: operations["postPagesSlugPreviewLink"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/preview/{slug}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The page version a preview link was made for, as HTML
         * @description The page version a preview link was made for, as HTML (?token= from preview-link; 403 for a forged token, 410 once expired); never indexed or cached
         *
         *     Who may call: Anyone.
         */
        get: operations["getPreviewSlug"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/media": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Upload an image
         * @description Upload an image (multipart/form-data, field file, at most 10 MiB): PNG, JPEG, WebP or GIF by its bytes (SVG, other types and a name or type that says otherwise refused, 415); answers {url, type, width, height, size, sha256}, the url content-hashed
         *
         *     Who may call: Authors, ops and admins.
         */
        post: operations["postMedia"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/media/{file}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * An uploaded image by its content-hashed name
         * @description An uploaded image by its content-hashed name (<sha256>.<png|jpg|webp|gif>), cached for a year (immutable)
         *
         *     Who may call: Anyone.
         */
        get: operations["getMediaFile"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/search": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Search published pages and posts
         * @description Search published pages and posts (?q= words, "phrases" and prefix*, English stemming; &limit= at most 50): best first by bm25 (title over summary, tags and body), with the title and a snippet of the body as HTML, the matched words in <mark>
         *
         *     Who may call: Anyone.
         */
        get: operations["getSearch"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/templates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Prototype templates
         * @description Prototype templates (?category=&status=active|retired)
         *
         *     Who may call: Authors, ops and admins.
         */
        get: operations["getTemplates"];
        put?: never;
        /**
         * Create a template
         * @description Create a template (JSON: slug, category, title, body with {{placeholders}}, requiredFields); version 1
         *
         *     Who may call: Authors, ops and admins.
         */
        post: operations["postTemplates"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/templates/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A template at its current version
         * @description A template at its current version
         *
         *     Who may call: Authors, ops and admins.
         */
        get: operations["getTemplatesId"];
        /**
         * Save a new version
         * @description Save a new version (any of category, title, body, requiredFields; send version to refuse a lost update, 409)
         *
         *     Who may call: Authors, ops and admins.
         */
        put: operations["putTemplatesId"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/templates/{id}/versions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every version of a template, newest first
         * @description Every version of a template, newest first
         *
         *     Who may call: Authors, ops and admins.
         */
        get: operations["getTemplatesIdVersions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/templates/{id}/retire": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Retire a template
         * @description Retire a template: prototypes stop using it (the last active 'other' one stays, 409)
         *
         *     Who may call: Authors, ops and admins.
         */
        post: operations["postTemplatesIdRetire"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/ops/timeline/{correlationId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One request's events and log lines in time order
         * @description One request's events and log lines in time order
         *
         *     Who may call: Ops and admins.
         */
        get: operations["getOpsTimelineCorrelationId"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/ops/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Recent events
         * @description Recent events (?type=&limit=)
         *
         *     Who may call: Ops and admins.
         */
        get: operations["getOpsEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/ops/dead-letters": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Messages that exhausted their retries, newest first
         * @description Messages that exhausted their retries, newest first (?queue=&state=open|redriven|all&limit=)
         *
         *     Who may call: Ops and admins.
         */
        get: operations["getOpsDeadLetters"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/ops/overview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The metrics at a glance over the last hour, day or week
         * @description The metrics at a glance over the last hour, day or week (?range=hour|day|week): requests created and how their jobs ended, p50 and p95 time to completed, the gateway's routes, tasks by kind, provider and outcome, notifications by channel and outcome, queue backlogs, retries and dead letters, each as totals and a series per bucket; from Analytics Engine in the cloud, the D1 roll-up locally (source)
         *
         *     Who may call: Ops and admins.
         */
        get: operations["getOpsOverview"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/ops/requests/{id}/story": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A request's whole story
         * @description A request's whole story: the request, its job and tasks with timings and result links, its notifications and statuses, and every event, log line (its submission's HTTP request's too), dead letter, task step, notification and audit entry in time order
         *
         *     Who may call: Ops and admins.
         */
        get: operations["getOpsRequestsIdStory"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/ops/alerts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The alert rules
         * @description The alert rules (dead letters, failure rate, queue backlog, worker unhealthy, p95 time to completed), the alerts firing now and the last 100 with when each fired and resolved
         *
         *     Who may call: Ops and admins.
         */
        get: operations["getOpsAlerts"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/ops/dead-letters/redrive": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Redrive every open dead letter of one queue
         * @description Redrive every open dead letter of one queue ({queue}, up to 500 a call), each once; answers {queue, redriven, skipped (erased or redriven meanwhile), failed}
         *
         *     Who may call: Ops and admins.
         */
        post: operations["postOpsDeadLettersRedrive"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/ops/logs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Search every worker's log lines, newest first
         * @description Search every worker's log lines, newest first (?worker=&level= that level and above &from=&to= default the last 24 h &correlationId= also the lines of its HTTP request &q= text in the message or fields &cursor=&limit=), answering {lines, next}
         *
         *     Who may call: Ops and admins.
         */
        get: operations["getOpsLogs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/ops/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The audit trail, newest first
         * @description The audit trail, newest first: role grants, sign-in security events, ops cancels, retries and redrives, template changes, publishing, account deletions, each with actor, target, change and its place in the hash chain (?action=&actor=&target=&cursor=&limit=), answering {entries, next}
         *
         *     Who may call: Ops and admins.
         */
        get: operations["getOpsAudit"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/ops/audit/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Walk the audit trail's hash chain from its first entry
         * @description Walk the audit trail's hash chain from its first entry: {ok, entries, head} or, where it breaks, brokenAt {seq, reason: hash-mismatch|prev-mismatch|missing}
         *
         *     Who may call: Ops and admins.
         */
        get: operations["getOpsAuditVerify"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/ops/dead-letters/{id}/redrive": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a dead letter back to its queue, once
         * @description Send a dead letter back to its queue, once (409 the second time)
         *
         *     Who may call: Ops and admins.
         */
        post: operations["postOpsDeadLettersIdRedrive"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/ops/breakers/ai": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The circuit breaker of each hosted AI provider of the chain
         * @description The circuit breaker of each hosted AI provider of the chain: closed, open (skipped until its next probe) or half-open (one probe on its way), failures in a row, the failure-rate window, when it opened and when the next probe goes, the last failure
         *
         *     Who may call: Ops and admins.
         */
        get: operations["getOpsBreakersAi"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/ops/breakers/notify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The circuit breaker of each channel's provider
         * @description The circuit breaker of each channel's provider (email, Telegram, WhatsApp): closed, open (sends skipped and retried after its next probe) or half-open (one probe on its way), failures in a row, the failure-rate window, when it opened and when the next probe goes, the last failure
         *
         *     Who may call: Ops and admins.
         */
        get: operations["getOpsBreakersNotify"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/ops/job-slots": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The jobs running and those waiting in line for a slot
         * @description The jobs running and those waiting in line for a slot (JOB_SLOTS), oldest first
         *
         *     Who may call: Ops and admins.
         */
        get: operations["getOpsJobSlots"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/ops/jobs/{requestId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A request's AI job as its Durable Object holds it
         * @description A request's AI job as its Durable Object holds it
         *
         *     Who may call: Ops and admins.
         */
        get: operations["getOpsJobsRequestId"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/ops/jobs/{requestId}/tasks/{taskId}/result": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One task's whole output
         * @description One task's whole output (a transcript, a document's text, the analysis, the draft) and who produced it
         *
         *     Who may call: Ops and admins.
         */
        get: operations["getOpsJobsRequestIdTasksTaskIdResult"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/ops/requests/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel a request's job
         * @description Cancel a request's job
         *
         *     Who may call: Ops and admins.
         */
        post: operations["postOpsRequestsIdCancel"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/ops/jobs/{requestId}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Retry a failed job
         * @description Retry a failed job: every task that did not succeed
         *
         *     Who may call: Ops and admins.
         */
        post: operations["postOpsJobsRequestIdRetry"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/ops/jobs/{requestId}/tasks/{taskId}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Retry one failed task of a failed job
         * @description Retry one failed task of a failed job
         *
         *     Who may call: Ops and admins.
         */
        post: operations["postOpsJobsRequestIdTasksTaskIdRetry"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/ops/spam-log": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Submissions refused as spam
         * @description Submissions refused as spam (honeypot, Turnstile, rate limit), newest first (?limit=)
         *
         *     Who may call: Ops and admins.
         */
        get: operations["getOpsSpamLog"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/ops/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Find an account by its email
         * @description Find an account by its email (?email=): id, email, name, role, whether verified, when created
         *
         *     Who may call: Ops and admins.
         */
        get: operations["getOpsUsers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/ops/users/{id}/role": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Grant a role
         * @description Grant a role ({role, password}: the granter's own password again): admins any role, ops client or author only, no one their own; ends every session of the account and records the change
         *
         *     Who may call: Ops and admins.
         */
        put: operations["putOpsUsersIdRole"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/ops/role-changes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every role granted, newest first
         * @description Every role granted, newest first: who, to whom, old and new role (?target=&before=&limit=)
         *
         *     Who may call: Ops and admins.
         */
        get: operations["getOpsRoleChanges"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/ops/service-accounts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The service accounts, newest first, each {id, email, name, role, kind, createdAt, …} with its keys [{id, name, prefix, scopes, createdAt, lastUsedAt, expiresAt, revokedAt}]
         * @description The service accounts, newest first, each {id, email, name, role, kind, createdAt, …} with its keys [{id, name, prefix, scopes, createdAt, lastUsedAt, expiresAt, revokedAt}] (revoked and expired ones too, never the key) (?before=&limit=), answering {accounts, next}
         *
         *     Who may call: Ops and admins.
         */
        get: operations["getOpsServiceAccounts"];
        put?: never;
        /**
         * Create a service account for a system
         * @description Create a service account for a system ({name, scopes, expiresAt?}): a client account that cannot sign in, with its first API key; answers {account, key} with the key this once; recorded in the audit trail
         *
         *     Who may call: Ops and admins.
         */
        post: operations["postOpsServiceAccounts"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/ops/service-accounts/{id}/api-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Another API key for a service account
         * @description Another API key for a service account ({name, scopes, expiresAt?}), to rotate its key and keep the account (its requests stay its own); answers {id, name, prefix, scopes, createdAt, expiresAt, key} with the key this once; at most 20 live keys (409); 404 for a person's account; recorded in the audit trail
         *
         *     Who may call: Ops and admins.
         */
        post: operations["postOpsServiceAccountsIdApiKeys"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/ops/api-keys/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revoke anyone's API key
         * @description Revoke anyone's API key (a leaked one, say); recorded as a security event and in the audit trail (404 for an unknown or revoked id)
         *
         *     Who may call: Ops and admins.
         */
        delete: operations["deleteOpsApiKeysId"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/ops/security-events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * What happened to accounts, newest first
         * @description What happened to accounts, newest first: failed sign-ins, locks, refused attempts, refresh reuse, registrations of taken addresses, resets; each with the address's sha256, the network and the time (?kind=&email= hashed by identity &before=&limit=), answering {events, next}; kept 90 days
         *
         *     Who may call: Ops and admins.
         */
        get: operations["getOpsSecurityEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/ops/signing-keys/rotate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Add a new access-token signing key
         * @description Add a new access-token signing key; it signs after a minute and the old one verifies until its tokens expired ({immediately: true} for a leaked key: old tokens refused now)
         *
         *     Who may call: Ops and admins.
         */
        post: operations["postOpsSigningKeysRotate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/ops/notifications": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every message and its delivery
         * @description Every message and its delivery: recipient, status, attempts, provider id, error, step and fallback, times (?requestId= oldest first; or ?status=&channel=&before=&limit= newest first, answering {notifications, next})
         *
         *     Who may call: Ops and admins.
         */
        get: operations["getOpsNotifications"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/ops/linkedin-tasks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Messages for LinkedIn to send by hand
         * @description Messages for LinkedIn to send by hand: the prepared text and the client's profile (?status=open|done|skipped&limit=)
         *
         *     Who may call: Ops and admins.
         */
        get: operations["getOpsLinkedinTasks"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/ops/linkedin-tasks/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Mark a LinkedIn task {outcome
         * @description Mark a LinkedIn task {outcome: done} (sent by hand: delivered) or {outcome: skipped} (the next channel is tried); 409 once marked
         *
         *     Who may call: Ops and admins.
         */
        post: operations["postOpsLinkedinTasksId"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/notifications/unsubscribe": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The unsubscribe page of an email's link
         * @description The unsubscribe page of an email's link (?token=): its button POSTs; a GET changes nothing
         *
         *     Who may call: Anyone.
         */
        get: operations["getNotificationsUnsubscribe"];
        put?: never;
        /**
         * Unsubscribe from one kind of message
         * @description Unsubscribe from one kind of message (?token= from the email's List-Unsubscribe link; RFC 8058 one-click POST)
         *
         *     Who may call: Anyone.
         */
        post: operations["postNotificationsUnsubscribe"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/webhooks/email": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * The email provider's delivery reports, signed as Resend signs them
         * @description The email provider's delivery reports, signed as Resend signs them (Svix: svix-id, svix-timestamp, svix-signature); 401 without a valid signature
         *
         *     Who may call: Anyone.
         */
        post: operations["postWebhooksEmail"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/webhooks/telegram": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * The Telegram bot's updates
         * @description The Telegram bot's updates (X-Telegram-Bot-Api-Secret-Token; 401 without it): /start <code> links a chat, /stop unlinks it
         *
         *     Who may call: Anyone.
         */
        post: operations["postWebhooksTelegram"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/webhooks/whatsapp": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * WhatsApp's webhook verification handshake
         * @description WhatsApp's webhook verification handshake (hub.mode, hub.verify_token, hub.challenge)
         *
         *     Who may call: Anyone.
         */
        get: operations["getWebhooksWhatsapp"];
        put?: never;
        /**
         * WhatsApp's inbound messages and message statuses
         * @description WhatsApp's inbound messages and message statuses (X-Hub-Signature-256; 401 without a valid signature)
         *
         *     Who may call: Anyone.
         */
        post: operations["postWebhooksWhatsapp"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/dev/outbox": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * What the platform sent, as the local outbox received it
         * @description What the platform sent, as the local outbox received it (development only)
         *
         *     Who may call: Local development only (DEV_TOOLS).
         */
        get: operations["getDevOutbox"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export interface webhooks {
    "request.processing": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * The request's job started: its analysis and draft are being written
         * @description The request's job started: its analysis and draft are being written. Sent to each of the owner's enabled endpoints subscribed to request.processing, signed as Standard Webhooks signs; an answer other than 2xx (or none in 10 s) is retried with backoff for more than a day (longer where Retry-After asks), and an endpoint that has taken no delivery in the 3 days since its first failure is disabled and its owner emailed.
         */
        post: operations["webhookRequestProcessing"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "request.completed": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * The request's job completed: its analysis and draft can be read at statusUrl
         * @description The request's job completed: its analysis and draft can be read at statusUrl. Sent to each of the owner's enabled endpoints subscribed to request.completed, signed as Standard Webhooks signs; an answer other than 2xx (or none in 10 s) is retried with backoff for more than a day (longer where Retry-After asks), and an endpoint that has taken no delivery in the 3 days since its first failure is disabled and its owner emailed.
         */
        post: operations["webhookRequestCompleted"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "request.failed": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * The request's job failed for good (reason says why)
         * @description The request's job failed for good (reason says why). Sent to each of the owner's enabled endpoints subscribed to request.failed, signed as Standard Webhooks signs; an answer other than 2xx (or none in 10 s) is retried with backoff for more than a day (longer where Retry-After asks), and an endpoint that has taken no delivery in the 3 days since its first failure is disabled and its owner emailed.
         */
        post: operations["webhookRequestFailed"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "request.cancelled": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * The request was cancelled, by its client or by ops (cancelledBy)
         * @description The request was cancelled, by its client or by ops (cancelledBy). Sent to each of the owner's enabled endpoints subscribed to request.cancelled, signed as Standard Webhooks signs; an answer other than 2xx (or none in 10 s) is retried with backoff for more than a day (longer where Retry-After asks), and an endpoint that has taken no delivery in the 3 days since its first failure is disabled and its owner emailed.
         */
        post: operations["webhookRequestCancelled"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export interface components {
    schemas: {
        Problem: {
            /** @description A URI naming the kind of problem, e.g. /problems/validation-error */
            type: string;
            title: string;
            status: number;
            detail?: string;
            instance?: string;
            errors?: {
                field: string;
                message: string;
            }[];
            requestId?: string;
        };
    };
    responses: {
        /** @description A field failed its schema: `errors` names each one */
        Problem400: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description No valid credentials where the route needs them, or a bearer token (or API key) that is not valid: refused on every route, public ones too */
        Problem401: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The caller's role does not open this route, or an API key is used where its scopes do not (a route naming no scopes takes no key) */
        Problem403: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description No such resource, or not the caller's (never said which) */
        Problem404: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The route does not take this method */
        Problem405: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The resource's state does not allow it */
        Problem409: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Gone */
        Problem410: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The body is too large */
        Problem413: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The body's media type is not one the route takes */
        Problem415: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The input is well formed but cannot be acted on */
        Problem422: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The route only streams: open a WebSocket, or accept text/event-stream */
        Problem426: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Rate limited: try again after Retry-After */
        Problem429: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description A service this one hands the work to did not take it: nothing was changed, try again */
        Problem503: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
    };
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getApi: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        name: string;
                        /** @description Where the OpenAPI document is */
                        document: string;
                        /** @description Where its interactive reference is */
                        reference: string;
                        routes: {
                            /** @enum {string} */
                            method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
                            /** @description Under /api, with :params */
                            path: string;
                            /** @enum {string} */
                            access: "public" | "token" | "signed-in" | "author" | "ops" | "dev";
                            summary: string;
                        }[];
                    };
                };
            };
        };
    };
    getApiHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The platform is up (degraded counts as up) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        status: "up" | "down";
                    } | {
                        /**
                         * @description down when any worker or a dependency one needs is down; degraded when only an optional one is
                         * @enum {string}
                         */
                        status: "ok" | "degraded" | "down";
                        /** @description ISO 8601 date-time */
                        time: string;
                        services: {
                            [key: string]: {
                                /** @enum {string} */
                                status: "ok" | "degraded" | "down";
                                latencyMs: number;
                                checks: {
                                    [key: string]: {
                                        ok: boolean;
                                        latencyMs: number;
                                        required: boolean;
                                        error?: string;
                                    };
                                };
                                /** @description Why the worker's own answer could not be read */
                                error?: string;
                            };
                        };
                    };
                };
            };
            /** @description A worker, or a dependency one needs, is down */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        status: "up" | "down";
                    } | {
                        /**
                         * @description down when any worker or a dependency one needs is down; degraded when only an optional one is
                         * @enum {string}
                         */
                        status: "ok" | "degraded" | "down";
                        /** @description ISO 8601 date-time */
                        time: string;
                        services: {
                            [key: string]: {
                                /** @enum {string} */
                                status: "ok" | "degraded" | "down";
                                latencyMs: number;
                                checks: {
                                    [key: string]: {
                                        ok: boolean;
                                        latencyMs: number;
                                        required: boolean;
                                        error?: string;
                                    };
                                };
                                /** @description Why the worker's own answer could not be read */
                                error?: string;
                            };
                        };
                    };
                };
            };
        };
    };
    getApiOpenapiJson: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description This document */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        openapi: string;
                        info: {
                            title: string;
                            version: string;
                            description: string;
                        };
                        servers: {
                            url: string;
                            description: string;
                        }[];
                        paths: {
                            [key: string]: {
                                [key: string]: unknown;
                            };
                        };
                        components: {
                            [key: string]: unknown;
                        };
                        /** @description What the platform POSTs to integrators' endpoints, by event */
                        webhooks?: {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
    };
    getApiDocs: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The interactive reference (an HTML page reading this document) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": unknown;
                };
            };
        };
    };
    postRequests: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @example Ada Lovelace */
                    name: string;
                    /**
                     * Format: email
                     * @example ada@example.com
                     */
                    email: string;
                    /** @example We receive about 200 supplier invoices a month by email and type them into our ERP by hand. Could that be automated, and what would it cost? */
                    text: string;
                    /** @example +44 20 7946 0958 */
                    phone?: string;
                    /** @example @ada_lovelace */
                    telegram?: string;
                    /** @example +44 20 7946 0958 */
                    whatsapp?: string;
                    /**
                     * Format: uri
                     * @example https://www.linkedin.com/in/ada-lovelace
                     */
                    linkedin?: string;
                    notifyBy?: ("email" | "telegram" | "whatsapp" | "linkedin")[];
                    /** @enum {string} */
                    locale?: "en" | "de";
                    /**
                     * @default api
                     * @enum {string}
                     */
                    channel?: "web" | "api";
                    website?: string;
                    "cf-turnstile-response"?: string;
                    /** @default [] */
                    uploadIds?: string[];
                    /** @default [] */
                    uploadTokens?: string[];
                };
                "multipart/form-data": {
                    /** @example Ada Lovelace */
                    name: string;
                    /**
                     * Format: email
                     * @example ada@example.com
                     */
                    email: string;
                    /** @example We receive about 200 supplier invoices a month by email and type them into our ERP by hand. Could that be automated, and what would it cost? */
                    text: string;
                    /** @example +44 20 7946 0958 */
                    phone?: string;
                    /** @example @ada_lovelace */
                    telegram?: string;
                    /** @example +44 20 7946 0958 */
                    whatsapp?: string;
                    /**
                     * Format: uri
                     * @example https://www.linkedin.com/in/ada-lovelace
                     */
                    linkedin?: string;
                    /** @enum {string} */
                    locale?: "en" | "de";
                    /**
                     * @default api
                     * @enum {string}
                     */
                    channel?: "web" | "api";
                    website?: string;
                    "cf-turnstile-response"?: string;
                    /**
                     * @description Channels in order, comma-separated
                     * @example telegram,email
                     */
                    notifyBy?: string;
                    /** @description Completed resumable uploads: one part each */
                    uploadIds?: string[];
                    /** @description Their upload tokens, one part each, in the same order */
                    uploadTokens?: string[];
                    /** @description Files, one part each: every part with a filename is one, whatever its name (documents, images, recordings; the limits are the platform's) */
                    files?: string[];
                };
            };
        };
        responses: {
            /** @description Accepted: the request's id and its status URL (Location too) */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        /** @constant */
                        status: "received";
                        /** @description The request's status URL with its status token; also the Location header */
                        statusUrl: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            409: components["responses"]["Problem409"];
            413: components["responses"]["Problem413"];
            415: components["responses"]["Problem415"];
            422: components["responses"]["Problem422"];
            429: components["responses"]["Problem429"];
        };
    };
    postUploads: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    size: number;
                };
            };
        };
        responses: {
            /** @description Started: send each part with its token */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        partSize: number;
                        parts: number;
                        uploadToken: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            413: components["responses"]["Problem413"];
            415: components["responses"]["Problem415"];
            429: components["responses"]["Problem429"];
        };
    };
    putUploadsIdPartsN: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                n: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/octet-stream": unknown;
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        partNumber: number;
                        etag: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            413: components["responses"]["Problem413"];
            415: components["responses"]["Problem415"];
            429: components["responses"]["Problem429"];
        };
    };
    getUploadsId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        name: string;
                        size: number;
                        /** @enum {string} */
                        status: "open" | "complete" | "used" | "aborted";
                        partSize: number;
                        parts: {
                            partNumber: number;
                            etag: string;
                            size: number;
                        }[];
                        missing: number[];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            429: components["responses"]["Problem429"];
        };
    };
    deleteUploadsId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Aborted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    postUploadsIdComplete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        name: string;
                        size: number;
                        /** @constant */
                        status: "complete";
                        kind: string;
                        mime: string;
                        sha256: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            415: components["responses"]["Problem415"];
            429: components["responses"]["Problem429"];
        };
    };
    getRequestsId: {
        parameters: {
            query?: {
                token?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        /** @enum {string} */
                        status: "received" | "processing" | "completed" | "failed" | "cancelled";
                        /** @description Waiting for a job slot: how many requests are ahead */
                        line: {
                            ahead: number;
                        } | null;
                        /** @enum {string} */
                        channel: "web" | "api" | "email";
                        /** @description ISO 8601 date-time */
                        createdAt: string;
                        completedAt: string | null;
                        contact: {
                            name: string;
                            email: string;
                        };
                        text: string;
                        steps: {
                            id: string;
                            /** @enum {string} */
                            kind: "asr" | "docai" | "nlp" | "prototype";
                            fileName?: string;
                            /** @enum {string} */
                            state: "pending" | "running" | "succeeded" | "failed" | "cancelled";
                            attempt: number;
                            /** @description ISO 8601 date-time */
                            startedAt?: string;
                            /** @description ISO 8601 date-time */
                            finishedAt?: string;
                            durationMs?: number;
                            error?: string;
                            provider?: string;
                        }[];
                        /** @description The job's results once completed: the analysis, the draft, each file's text */
                        result: {
                            [key: string]: unknown;
                        } | null;
                        error: string | null;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            410: components["responses"]["Problem410"];
            429: components["responses"]["Problem429"];
        };
    };
    getRequestsIdTasksTaskIdResult: {
        parameters: {
            query?: {
                token?: string;
            };
            header?: never;
            path: {
                id: string;
                taskId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        taskId: string;
                        kind: string;
                        attempt: number;
                        output: unknown;
                        provenance: unknown;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            429: components["responses"]["Problem429"];
        };
    };
    postRequestsIdCancel: {
        parameters: {
            query?: {
                token?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        /** @constant */
                        status: "cancelled";
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    postRequestsIdLiveTicket: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        url: string;
                        /** @description ISO 8601 date-time */
                        expiresAt: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            429: components["responses"]["Problem429"];
        };
    };
    getRequestsIdNotifications: {
        parameters: {
            query?: {
                token?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        requestId: string;
                        telegram: {
                            linked: boolean;
                            offered: boolean;
                        };
                        notifications: {
                            id: string;
                            /** @enum {string} */
                            channel: "email" | "telegram" | "whatsapp" | "linkedin";
                            /** @enum {string} */
                            kind: "received" | "ready" | "failed" | "account";
                            /** @enum {string} */
                            status: "queued" | "sent" | "delivered" | "read" | "failed" | "manual" | "skipped";
                            /** @description Where it went, mostly hidden */
                            to: string;
                            /** @description Which step of the channel order (0: the first channel) */
                            step: number;
                            fallbackFrom: string | null;
                            attempts: number;
                            /** @description ISO 8601 date-time */
                            createdAt: string;
                            sentAt: string | null;
                            deliveredAt: string | null;
                            readAt: string | null;
                            failedAt: string | null;
                        }[];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            410: components["responses"]["Problem410"];
            429: components["responses"]["Problem429"];
        };
    };
    postRequestsIdTelegramLink: {
        parameters: {
            query?: {
                token?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        url: string;
                        code: string;
                        /** @description ISO 8601 date-time */
                        expiresAt: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            410: components["responses"]["Problem410"];
            429: components["responses"]["Problem429"];
        };
    };
    getRequestsIdLive: {
        parameters: {
            query?: {
                token?: string;
                ticket?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A WebSocket of the job's state */
            101: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The job's state as server-sent events */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": unknown;
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            426: components["responses"]["Problem426"];
            429: components["responses"]["Problem429"];
        };
    };
    postUsers: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: email */
                    email: string;
                    name: string;
                    /** @description At least 15 characters and at most 200 (each Unicode code point one character), any characters; not one of the 10,000 most common passwords; not built on the account's email address */
                    password: string;
                };
            };
        };
        responses: {
            /** @description The same answer for a new address and a taken one */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "check-your-email";
                        message: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            413: components["responses"]["Problem413"];
            415: components["responses"]["Problem415"];
            429: components["responses"]["Problem429"];
        };
    };
    postUsersVerify: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    token: string;
                };
            };
        };
        responses: {
            /** @description Verified */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        emailVerified: true;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            413: components["responses"]["Problem413"];
            415: components["responses"]["Problem415"];
            429: components["responses"]["Problem429"];
        };
    };
    postUsersVerifyResend: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A fresh link is on its way */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "sent";
                    };
                };
            };
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    postPasswordResets: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: email */
                    email: string;
                };
            };
        };
        responses: {
            /** @description The same answer whether the address has an account or not */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "check-your-email";
                        message: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            413: components["responses"]["Problem413"];
            415: components["responses"]["Problem415"];
            429: components["responses"]["Problem429"];
        };
    };
    postPasswordResetsConfirm: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    token: string;
                    /** @description At least 15 characters and at most 200 (each Unicode code point one character), any characters; not one of the 10,000 most common passwords; not built on the account's email address */
                    password: string;
                };
            };
        };
        responses: {
            /** @description Password set; every session ended */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            413: components["responses"]["Problem413"];
            415: components["responses"]["Problem415"];
            429: components["responses"]["Problem429"];
        };
    };
    putMePassword: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    currentPassword: string;
                    /** @description At least 15 characters and at most 200 (each Unicode code point one character), any characters; not one of the 10,000 most common passwords; not built on the account's email address */
                    password: string;
                };
            };
        };
        responses: {
            /** @description Changed; every other session ended */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            413: components["responses"]["Problem413"];
            415: components["responses"]["Problem415"];
            429: components["responses"]["Problem429"];
        };
    };
    postSessions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: email */
                    email: string;
                    password: string;
                    refreshToken?: string;
                };
            };
        };
        responses: {
            /** @description Signed in */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        accessToken: string;
                        /** @description Seconds the access token lives */
                        expiresIn: number;
                        /** @description Absent from the site's own origin, which gets an HttpOnly cookie */
                        refreshToken?: string;
                        user: {
                            id: string;
                            email: string;
                            name: string;
                            /** @enum {string} */
                            role: "client" | "author" | "ops" | "admin";
                            emailVerified: boolean;
                            /** @description ISO 8601 date-time */
                            createdAt: string;
                        };
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            413: components["responses"]["Problem413"];
            415: components["responses"]["Problem415"];
            429: components["responses"]["Problem429"];
        };
    };
    postSessionsRefresh: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    refreshToken?: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        accessToken: string;
                        /** @description Seconds the access token lives */
                        expiresIn: number;
                        /** @description Absent from the site's own origin, which gets an HttpOnly cookie */
                        refreshToken?: string;
                        user: {
                            id: string;
                            email: string;
                            name: string;
                            /** @enum {string} */
                            role: "client" | "author" | "ops" | "admin";
                            emailVerified: boolean;
                            /** @description ISO 8601 date-time */
                            createdAt: string;
                        };
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            413: components["responses"]["Problem413"];
            415: components["responses"]["Problem415"];
            429: components["responses"]["Problem429"];
        };
    };
    deleteSessionsCurrent: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Signed out */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            429: components["responses"]["Problem429"];
        };
    };
    getWellKnownJwksJson: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The public keys, cacheable for five minutes */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        keys: {
                            /** @constant */
                            kty: "EC";
                            /** @constant */
                            crv: "P-256";
                            x: string;
                            y: string;
                            kid: string;
                            /** @constant */
                            alg: "ES256";
                            /** @constant */
                            use: "sig";
                        }[];
                    };
                };
            };
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            429: components["responses"]["Problem429"];
        };
    };
    getMeSessions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        sessions: {
                            id: string;
                            /** @description ISO 8601 date-time */
                            createdAt: string;
                            /** @description The last sign-in or refresh */
                            lastUsedAt: string | null;
                            userAgent: string | null;
                            /** @description An IPv4 address or an IPv6 /64 */
                            network: string | null;
                            /** @description The session making this call */
                            current: boolean;
                        }[];
                    };
                };
            };
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            429: components["responses"]["Problem429"];
        };
    };
    deleteMeSessions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        ended: number;
                    };
                };
            };
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            429: components["responses"]["Problem429"];
        };
    };
    deleteMeSessionsId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Ended */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            429: components["responses"]["Problem429"];
        };
    };
    getMeApiKeys: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        keys: {
                            id: string;
                            name: string;
                            /** @description The key's first characters, to recognise it */
                            prefix: string;
                            scopes: ("requests:write" | "requests:read" | "webhooks:write")[];
                            /** @description ISO 8601 date-time */
                            createdAt: string;
                            lastUsedAt: string | null;
                            expiresAt: string | null;
                            revokedAt: string | null;
                        }[];
                    };
                };
            };
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            429: components["responses"]["Problem429"];
        };
    };
    postMeApiKeys: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    scopes: ("requests:write" | "requests:read" | "webhooks:write")[];
                    /** Format: date-time */
                    expiresAt?: string;
                };
            };
        };
        responses: {
            /** @description Created: the key, this once */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        name: string;
                        /** @description The key's first characters, to recognise it */
                        prefix: string;
                        scopes: ("requests:write" | "requests:read" | "webhooks:write")[];
                        /** @description ISO 8601 date-time */
                        createdAt: string;
                        lastUsedAt: string | null;
                        expiresAt: string | null;
                        revokedAt: string | null;
                        /** @description The key (sx_live_… or sx_test_…), answered this once */
                        key: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            409: components["responses"]["Problem409"];
            413: components["responses"]["Problem413"];
            415: components["responses"]["Problem415"];
            429: components["responses"]["Problem429"];
        };
    };
    deleteMeApiKeysId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Revoked */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            429: components["responses"]["Problem429"];
        };
    };
    getMe: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        user: {
                            id: string;
                            email: string;
                            name: string;
                            /** @enum {string} */
                            role: "client" | "author" | "ops" | "admin";
                            emailVerified: boolean;
                            /** @description ISO 8601 date-time */
                            createdAt: string;
                        };
                    };
                };
            };
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            429: components["responses"]["Problem429"];
        };
    };
    deleteMe: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    password: string;
                };
            };
        };
        responses: {
            /** @description Deleted, with its sessions */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            413: components["responses"]["Problem413"];
            415: components["responses"]["Problem415"];
            429: components["responses"]["Problem429"];
        };
    };
    patchMe: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name?: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        user: {
                            id: string;
                            email: string;
                            name: string;
                            /** @enum {string} */
                            role: "client" | "author" | "ops" | "admin";
                            emailVerified: boolean;
                            /** @description ISO 8601 date-time */
                            createdAt: string;
                        };
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            413: components["responses"]["Problem413"];
            415: components["responses"]["Problem415"];
            429: components["responses"]["Problem429"];
        };
    };
    getMeRequests: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            id: string;
                            /** @enum {string} */
                            channel: "web" | "api" | "email";
                            /** @description The text's first 200 characters */
                            excerpt: string;
                            truncated: boolean;
                            /** @description ISO 8601 date-time */
                            createdAt: string;
                            /** @enum {string} */
                            status: "received" | "processing" | "completed" | "failed" | "cancelled";
                            completedAt: string | null;
                        }[];
                        /** @description The `cursor` of the next page; null on the last */
                        nextCursor: string | null;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            429: components["responses"]["Problem429"];
        };
    };
    getMePreferences: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description The order stated; null: the messaging apps given first, email last */
                        channels: ("email" | "telegram" | "whatsapp" | "linkedin")[] | null;
                        /** @description The order a message would follow now */
                        order: ("email" | "telegram" | "whatsapp" | "linkedin")[];
                        defaultOrder: ("email" | "telegram" | "whatsapp" | "linkedin")[];
                        optOuts: ("received" | "ready" | "failed" | "account")[];
                        locale: ("en" | "de") | null;
                        whatsapp: string | null;
                        linkedin: string | null;
                        telegramChats: {
                            username: string | null;
                            /** @description ISO 8601 date-time */
                            linkedAt: string;
                        }[];
                        /** @description The channels this platform offers */
                        available: ("email" | "telegram" | "whatsapp" | "linkedin")[];
                    };
                };
            };
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            429: components["responses"]["Problem429"];
        };
    };
    putMePreferences: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    channels?: ("email" | "telegram" | "whatsapp" | "linkedin")[] | null;
                    optOuts?: ("received" | "ready" | "failed" | "account")[];
                    locale?: ("en" | "de") | null;
                    whatsapp?: string | null;
                    linkedin?: string | null;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description The order stated; null: the messaging apps given first, email last */
                        channels: ("email" | "telegram" | "whatsapp" | "linkedin")[] | null;
                        /** @description The order a message would follow now */
                        order: ("email" | "telegram" | "whatsapp" | "linkedin")[];
                        defaultOrder: ("email" | "telegram" | "whatsapp" | "linkedin")[];
                        optOuts: ("received" | "ready" | "failed" | "account")[];
                        locale: ("en" | "de") | null;
                        whatsapp: string | null;
                        linkedin: string | null;
                        telegramChats: {
                            username: string | null;
                            /** @description ISO 8601 date-time */
                            linkedAt: string;
                        }[];
                        /** @description The channels this platform offers */
                        available: ("email" | "telegram" | "whatsapp" | "linkedin")[];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            413: components["responses"]["Problem413"];
            415: components["responses"]["Problem415"];
            429: components["responses"]["Problem429"];
        };
    };
    postMeTelegramLink: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        url: string;
                        code: string;
                        /** @description ISO 8601 date-time */
                        expiresAt: string;
                    };
                };
            };
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    deleteMeTelegramChats: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        unlinked: number;
                    };
                };
            };
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            429: components["responses"]["Problem429"];
        };
    };
    getMeWebhooks: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        endpoints: {
                            id: string;
                            url: string;
                            description: string | null;
                            events: ("request.processing" | "request.completed" | "request.failed" | "request.cancelled")[];
                            enabled: boolean;
                            disabledReason: string | null;
                            /** @description The first failed attempt since the last success */
                            failingSince: string | null;
                            /** @description While a rotation's overlap lasts: when the previous secret stops signing */
                            previousSecretExpiresAt: string | null;
                            /** @description ISO 8601 date-time */
                            createdAt: string;
                            /** @description ISO 8601 date-time */
                            updatedAt: string;
                        }[];
                    };
                };
            };
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            429: components["responses"]["Problem429"];
        };
    };
    postMeWebhooks: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * Format: uri
                     * @description https, to a public host (http and loopback only on the local platform)
                     */
                    url: string;
                    events: ("request.processing" | "request.completed" | "request.failed" | "request.cancelled")[];
                    description?: string;
                };
            };
        };
        responses: {
            /** @description Created: the endpoint with its secret, this once */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        url: string;
                        description: string | null;
                        events: ("request.processing" | "request.completed" | "request.failed" | "request.cancelled")[];
                        enabled: boolean;
                        disabledReason: string | null;
                        /** @description The first failed attempt since the last success */
                        failingSince: string | null;
                        /** @description While a rotation's overlap lasts: when the previous secret stops signing */
                        previousSecretExpiresAt: string | null;
                        /** @description ISO 8601 date-time */
                        createdAt: string;
                        /** @description ISO 8601 date-time */
                        updatedAt: string;
                        /** @description The signing secret (whsec_ + base64), answered this once */
                        secret: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            409: components["responses"]["Problem409"];
            413: components["responses"]["Problem413"];
            415: components["responses"]["Problem415"];
            422: components["responses"]["Problem422"];
            429: components["responses"]["Problem429"];
        };
    };
    getMeWebhooksId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        url: string;
                        description: string | null;
                        events: ("request.processing" | "request.completed" | "request.failed" | "request.cancelled")[];
                        enabled: boolean;
                        disabledReason: string | null;
                        /** @description The first failed attempt since the last success */
                        failingSince: string | null;
                        /** @description While a rotation's overlap lasts: when the previous secret stops signing */
                        previousSecretExpiresAt: string | null;
                        /** @description ISO 8601 date-time */
                        createdAt: string;
                        /** @description ISO 8601 date-time */
                        updatedAt: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            429: components["responses"]["Problem429"];
        };
    };
    deleteMeWebhooksId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted, with its deliveries */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            429: components["responses"]["Problem429"];
        };
    };
    patchMeWebhooksId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * Format: uri
                     * @description https, to a public host (http and loopback only on the local platform)
                     */
                    url?: string;
                    events?: ("request.processing" | "request.completed" | "request.failed" | "request.cancelled")[];
                    description?: string | null;
                    enabled?: boolean;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        url: string;
                        description: string | null;
                        events: ("request.processing" | "request.completed" | "request.failed" | "request.cancelled")[];
                        enabled: boolean;
                        disabledReason: string | null;
                        /** @description The first failed attempt since the last success */
                        failingSince: string | null;
                        /** @description While a rotation's overlap lasts: when the previous secret stops signing */
                        previousSecretExpiresAt: string | null;
                        /** @description ISO 8601 date-time */
                        createdAt: string;
                        /** @description ISO 8601 date-time */
                        updatedAt: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            413: components["responses"]["Problem413"];
            415: components["responses"]["Problem415"];
            422: components["responses"]["Problem422"];
            429: components["responses"]["Problem429"];
        };
    };
    postMeWebhooksIdRotateSecret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        secret: string;
                        /** @description ISO 8601 date-time */
                        previousSecretExpiresAt: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    getMeWebhooksIdDeliveries: {
        parameters: {
            query?: {
                status?: "pending" | "succeeded" | "failed";
                limit?: number;
                /** @description `next` of the page before */
                cursor?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        deliveries: {
                            /** @description The webhook-id header: the same on every retry and re-send */
                            id: string;
                            eventId: string;
                            /** @enum {string} */
                            eventType: "request.processing" | "request.completed" | "request.failed" | "request.cancelled";
                            requestId: string;
                            /** @enum {string} */
                            status: "pending" | "succeeded" | "failed";
                            attempts: {
                                n: number;
                                /** @description ISO 8601 date-time */
                                at: string;
                                /** @enum {string} */
                                trigger: "scheduled" | "manual";
                                statusCode: number | null;
                                latencyMs: number;
                                /** @description The answer's first KiB */
                                responseBody: string | null;
                                error: string | null;
                            }[];
                            nextAttemptAt: string | null;
                            /** @description The body as POSTed */
                            payload: {
                                /** @constant */
                                type: "request.processing";
                                /**
                                 * @description When the event happened
                                 * @example 2026-12-03T07:47:15.370Z
                                 */
                                timestamp: string;
                                data: {
                                    /**
                                     * @description The event's id: the same for every endpoint that received it, and on every retry
                                     * @example 0b9f3c7e-5d1a-4f6b-9a2e-7c4d8e1f2a3b
                                     */
                                    eventId: string;
                                    /** @example req_01M8YH0YRN617ZBEZBP0EKDJQ5 */
                                    requestId: string;
                                    /**
                                     * @description GET it with an API key holding requests:read (or the owner's session)
                                     * @example https://statex.app/api/requests/req_01M8YH0YRN617ZBEZBP0EKDJQ5
                                     */
                                    statusUrl: string;
                                    /** @constant */
                                    status: "processing";
                                };
                            } | {
                                /** @constant */
                                type: "request.completed";
                                /**
                                 * @description When the event happened
                                 * @example 2026-12-03T07:47:15.370Z
                                 */
                                timestamp: string;
                                data: {
                                    /**
                                     * @description The event's id: the same for every endpoint that received it, and on every retry
                                     * @example 0b9f3c7e-5d1a-4f6b-9a2e-7c4d8e1f2a3b
                                     */
                                    eventId: string;
                                    /** @example req_01M8YH0YRN617ZBEZBP0EKDJQ5 */
                                    requestId: string;
                                    /**
                                     * @description GET it with an API key holding requests:read (or the owner's session)
                                     * @example https://statex.app/api/requests/req_01M8YH0YRN617ZBEZBP0EKDJQ5
                                     */
                                    statusUrl: string;
                                    /** @constant */
                                    status: "completed";
                                };
                            } | {
                                /** @constant */
                                type: "request.failed";
                                /**
                                 * @description When the event happened
                                 * @example 2026-12-03T07:47:15.370Z
                                 */
                                timestamp: string;
                                data: {
                                    /**
                                     * @description The event's id: the same for every endpoint that received it, and on every retry
                                     * @example 0b9f3c7e-5d1a-4f6b-9a2e-7c4d8e1f2a3b
                                     */
                                    eventId: string;
                                    /** @example req_01M8YH0YRN617ZBEZBP0EKDJQ5 */
                                    requestId: string;
                                    /**
                                     * @description GET it with an API key holding requests:read (or the owner's session)
                                     * @example https://statex.app/api/requests/req_01M8YH0YRN617ZBEZBP0EKDJQ5
                                     */
                                    statusUrl: string;
                                    /** @constant */
                                    status: "failed";
                                    /** @description Why the job failed */
                                    reason: string;
                                };
                            } | {
                                /** @constant */
                                type: "request.cancelled";
                                /**
                                 * @description When the event happened
                                 * @example 2026-12-03T07:47:15.370Z
                                 */
                                timestamp: string;
                                data: {
                                    /**
                                     * @description The event's id: the same for every endpoint that received it, and on every retry
                                     * @example 0b9f3c7e-5d1a-4f6b-9a2e-7c4d8e1f2a3b
                                     */
                                    eventId: string;
                                    /** @example req_01M8YH0YRN617ZBEZBP0EKDJQ5 */
                                    requestId: string;
                                    /**
                                     * @description GET it with an API key holding requests:read (or the owner's session)
                                     * @example https://statex.app/api/requests/req_01M8YH0YRN617ZBEZBP0EKDJQ5
                                     */
                                    statusUrl: string;
                                    /** @constant */
                                    status: "cancelled";
                                    /**
                                     * @description Who cancelled it
                                     * @enum {string}
                                     */
                                    cancelledBy: "client" | "ops";
                                };
                            };
                            /** @description ISO 8601 date-time */
                            createdAt: string;
                        }[];
                        next: string | null;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            429: components["responses"]["Problem429"];
        };
    };
    postMeWebhooksIdDeliveriesDeliveryIdResend: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                deliveryId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Attempted once: what came of it */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        /** @enum {string} */
                        status: "pending" | "succeeded" | "failed";
                        statusCode: number | null;
                        error: string | null;
                        nextAttemptAt: string | null;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    getPages: {
        parameters: {
            query?: {
                kind?: "page" | "post";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        pages: {
                            slug: string;
                            /** @enum {string} */
                            kind: "page" | "post";
                            title: string;
                            summary: string | null;
                            tags: string[];
                            locale: string;
                            author: string | null;
                            /** @description ISO 8601 date-time */
                            date: string;
                            hero: {
                                url: string;
                                alt: string;
                                width: number;
                                height: number;
                            } | null;
                            version: number;
                            /** @description ISO 8601 date-time */
                            publishedAt: string;
                            /** @description ISO 8601 date-time */
                            updatedAt: string;
                        }[];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            429: components["responses"]["Problem429"];
        };
    };
    getPagesSlug: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                slug: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        slug: string;
                        /** @enum {string} */
                        kind: "page" | "post";
                        title: string;
                        summary: string | null;
                        tags: string[];
                        locale: string;
                        author: string | null;
                        /** @description ISO 8601 date-time */
                        date: string;
                        hero: {
                            url: string;
                            alt: string;
                            width: number;
                            height: number;
                        } | null;
                        version: number;
                        /** @description ISO 8601 date-time */
                        publishedAt: string;
                        /** @description ISO 8601 date-time */
                        updatedAt: string;
                        html: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            429: components["responses"]["Problem429"];
        };
    };
    putPagesSlug: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                slug: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    markdown: string;
                    /** @default 0 */
                    baseVersion?: number;
                };
                "text/markdown": string;
            };
        };
        responses: {
            /** @description Saved: the draft as it now stands */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        slug: string;
                        title: string;
                        version: number;
                        /** @enum {string} */
                        status: "draft" | "scheduled" | "published";
                        live: {
                            version: number;
                            /** @description ISO 8601 date-time */
                            since: string;
                        } | null;
                        scheduled: {
                            version: number;
                            /** @description ISO 8601 date-time */
                            at: string;
                        } | null;
                        unpublishedChanges: boolean;
                        /** @description ISO 8601 date-time */
                        updatedAt: string;
                        updatedBy: string | null;
                        url: string;
                        markdown: string;
                        front: {
                            title: string;
                            slug: string;
                            summary?: string;
                            /** @enum {string} */
                            kind: "page" | "post";
                            tags: string[];
                            locale: string;
                            author?: string;
                            date?: string;
                            hero?: string;
                            heroAlt?: string;
                            draft: boolean;
                        } | null;
                        html: string;
                        problems: {
                            field: string;
                            message: string;
                        }[];
                    };
                };
            };
            /** @description Created: the page's first version */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        slug: string;
                        title: string;
                        version: number;
                        /** @enum {string} */
                        status: "draft" | "scheduled" | "published";
                        live: {
                            version: number;
                            /** @description ISO 8601 date-time */
                            since: string;
                        } | null;
                        scheduled: {
                            version: number;
                            /** @description ISO 8601 date-time */
                            at: string;
                        } | null;
                        unpublishedChanges: boolean;
                        /** @description ISO 8601 date-time */
                        updatedAt: string;
                        updatedBy: string | null;
                        url: string;
                        markdown: string;
                        front: {
                            title: string;
                            slug: string;
                            summary?: string;
                            /** @enum {string} */
                            kind: "page" | "post";
                            tags: string[];
                            locale: string;
                            author?: string;
                            date?: string;
                            hero?: string;
                            heroAlt?: string;
                            draft: boolean;
                        } | null;
                        html: string;
                        problems: {
                            field: string;
                            message: string;
                        }[];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            413: components["responses"]["Problem413"];
            415: components["responses"]["Problem415"];
            429: components["responses"]["Problem429"];
        };
    };
    deletePagesSlug: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                slug: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted, with every version */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            429: components["responses"]["Problem429"];
        };
    };
    getSiteRssXml: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The feed (RSS 2.0) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/rss+xml": string;
                };
            };
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            429: components["responses"]["Problem429"];
        };
    };
    getSiteSitemapXml: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The sitemap */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/xml": string;
                };
            };
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            429: components["responses"]["Problem429"];
        };
    };
    getSiteTagsTag: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                tag: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The tag's page */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            429: components["responses"]["Problem429"];
        };
    };
    getSiteSlug: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                slug: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The page */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            429: components["responses"]["Problem429"];
        };
    };
    getDrafts: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        pages: {
                            slug: string;
                            title: string;
                            version: number;
                            /** @enum {string} */
                            status: "draft" | "scheduled" | "published";
                            live: {
                                version: number;
                                /** @description ISO 8601 date-time */
                                since: string;
                            } | null;
                            scheduled: {
                                version: number;
                                /** @description ISO 8601 date-time */
                                at: string;
                            } | null;
                            unpublishedChanges: boolean;
                            /** @description ISO 8601 date-time */
                            updatedAt: string;
                            updatedBy: string | null;
                            url: string;
                        }[];
                    };
                };
            };
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            429: components["responses"]["Problem429"];
        };
    };
    getPagesSlugDraft: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                slug: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        slug: string;
                        title: string;
                        version: number;
                        /** @enum {string} */
                        status: "draft" | "scheduled" | "published";
                        live: {
                            version: number;
                            /** @description ISO 8601 date-time */
                            since: string;
                        } | null;
                        scheduled: {
                            version: number;
                            /** @description ISO 8601 date-time */
                            at: string;
                        } | null;
                        unpublishedChanges: boolean;
                        /** @description ISO 8601 date-time */
                        updatedAt: string;
                        updatedBy: string | null;
                        url: string;
                        markdown: string;
                        front: {
                            title: string;
                            slug: string;
                            summary?: string;
                            /** @enum {string} */
                            kind: "page" | "post";
                            tags: string[];
                            locale: string;
                            author?: string;
                            date?: string;
                            hero?: string;
                            heroAlt?: string;
                            draft: boolean;
                        } | null;
                        html: string;
                        problems: {
                            field: string;
                            message: string;
                        }[];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            429: components["responses"]["Problem429"];
        };
    };
    getPagesSlugVersions: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                slug: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        slug: string;
                        version: number;
                        live: {
                            version: number;
                            /** @description ISO 8601 date-time */
                            since: string;
                        } | null;
                        scheduled: {
                            version: number;
                            /** @description ISO 8601 date-time */
                            at: string;
                        } | null;
                        versions: {
                            version: number;
                            title: string;
                            restoredFrom: number | null;
                            createdBy: string | null;
                            /** @description ISO 8601 date-time */
                            createdAt: string;
                        }[];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            429: components["responses"]["Problem429"];
        };
    };
    getPagesSlugVersionsN: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                slug: string;
                n: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        slug: string;
                        markdown: string;
                        version: number;
                        title: string;
                        restoredFrom: number | null;
                        createdBy: string | null;
                        /** @description ISO 8601 date-time */
                        createdAt: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            429: components["responses"]["Problem429"];
        };
    };
    postPagesSlugVersionsNRestore: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                slug: string;
                n: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    baseVersion?: number;
                };
            };
        };
        responses: {
            /** @description Restored: the draft as it now stands */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        slug: string;
                        title: string;
                        version: number;
                        /** @enum {string} */
                        status: "draft" | "scheduled" | "published";
                        live: {
                            version: number;
                            /** @description ISO 8601 date-time */
                            since: string;
                        } | null;
                        scheduled: {
                            version: number;
                            /** @description ISO 8601 date-time */
                            at: string;
                        } | null;
                        unpublishedChanges: boolean;
                        /** @description ISO 8601 date-time */
                        updatedAt: string;
                        updatedBy: string | null;
                        url: string;
                        markdown: string;
                        front: {
                            title: string;
                            slug: string;
                            summary?: string;
                            /** @enum {string} */
                            kind: "page" | "post";
                            tags: string[];
                            locale: string;
                            author?: string;
                            date?: string;
                            hero?: string;
                            heroAlt?: string;
                            draft: boolean;
                        } | null;
                        html: string;
                        problems: {
                            field: string;
                            message: string;
                        }[];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            413: components["responses"]["Problem413"];
            415: components["responses"]["Problem415"];
            429: components["responses"]["Problem429"];
        };
    };
    postPagesSlugPublish: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                slug: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: date-time */
                    at?: string;
                    version?: number;
                };
            };
        };
        responses: {
            /** @description Published or scheduled: where the page now stands */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        slug: string;
                        title: string;
                        version: number;
                        /** @enum {string} */
                        status: "draft" | "scheduled" | "published";
                        live: {
                            version: number;
                            /** @description ISO 8601 date-time */
                            since: string;
                        } | null;
                        scheduled: {
                            version: number;
                            /** @description ISO 8601 date-time */
                            at: string;
                        } | null;
                        unpublishedChanges: boolean;
                        /** @description ISO 8601 date-time */
                        updatedAt: string;
                        updatedBy: string | null;
                        url: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            413: components["responses"]["Problem413"];
            415: components["responses"]["Problem415"];
            429: components["responses"]["Problem429"];
        };
    };
    postPagesSlugUnpublish: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                slug: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A draft again */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        slug: string;
                        title: string;
                        version: number;
                        /** @enum {string} */
                        status: "draft" | "scheduled" | "published";
                        live: {
                            version: number;
                            /** @description ISO 8601 date-time */
                            since: string;
                        } | null;
                        scheduled: {
                            version: number;
                            /** @description ISO 8601 date-time */
                            at: string;
                        } | null;
                        unpublishedChanges: boolean;
                        /** @description ISO 8601 date-time */
                        updatedAt: string;
                        updatedBy: string | null;
                        url: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            429: components["responses"]["Problem429"];
        };
    };
    postPagesSlugPreviewLink: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                slug: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    version?: number;
                    /** @default 1440 */
                    expiresInMinutes?: number;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        url: string;
                        /** @description ISO 8601 date-time */
                        expiresAt: string;
                        version: number;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            413: components["responses"]["Problem413"];
            415: components["responses"]["Problem415"];
            429: components["responses"]["Problem429"];
        };
    };
    getPreviewSlug: {
        parameters: {
            query: {
                token: string;
            };
            header?: never;
            path: {
                slug: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The version as the site would show it */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            410: components["responses"]["Problem410"];
            429: components["responses"]["Problem429"];
        };
    };
    postMedia: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "multipart/form-data": {
                    /**
                     * Format: binary
                     * @description One image: PNG, JPEG, WebP or GIF
                     */
                    file: string;
                };
            };
        };
        responses: {
            /** @description Stored */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        url: string;
                        /** @enum {string} */
                        type: "image/png" | "image/jpeg" | "image/webp" | "image/gif";
                        width: number;
                        height: number;
                        size: number;
                        sha256: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            413: components["responses"]["Problem413"];
            415: components["responses"]["Problem415"];
            429: components["responses"]["Problem429"];
        };
    };
    getMediaFile: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                file: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The image, as the type its bytes are */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "image/*": unknown;
                };
            };
            /** @description Not modified (If-None-Match named it) */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            429: components["responses"]["Problem429"];
        };
    };
    getSearch: {
        parameters: {
            query: {
                q: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        query: string;
                        results: {
                            slug: string;
                            url: string;
                            /** @enum {string} */
                            kind: "page" | "post";
                            title: string;
                            titleHtml: string;
                            summary: string | null;
                            snippet: string;
                            /** @description ISO 8601 date-time */
                            date: string;
                            tags: string[];
                        }[];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            429: components["responses"]["Problem429"];
        };
    };
    getTemplates: {
        parameters: {
            query?: {
                category?: "website" | "mobile-app" | "automation-bot" | "data-dashboards" | "ai-assistant" | "e-commerce" | "integration" | "other";
                status?: "active" | "retired";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every template matching, by category then slug */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        templates: {
                            id: string;
                            slug: string;
                            /** @enum {string} */
                            category: "website" | "mobile-app" | "automation-bot" | "data-dashboards" | "ai-assistant" | "e-commerce" | "integration" | "other";
                            version: number;
                            title: string;
                            body: string;
                            requiredFields: string[];
                            /** @enum {string} */
                            status: "active" | "retired";
                            updatedBy: string | null;
                            /** @description ISO 8601 date-time */
                            createdAt: string;
                            /** @description ISO 8601 date-time */
                            updatedAt: string;
                        }[];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            429: components["responses"]["Problem429"];
        };
    };
    postTemplates: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    slug: string;
                    /** @enum {string} */
                    category: "website" | "mobile-app" | "automation-bot" | "data-dashboards" | "ai-assistant" | "e-commerce" | "integration" | "other";
                    title: string;
                    body: string;
                    /** @default [] */
                    requiredFields?: ("title" | "summary" | "category" | "language" | "keywords" | "entities" | "features" | "architecture" | "milestones" | "estimate" | "assumptions" | "questions" | "budget" | "urgency")[];
                };
            };
        };
        responses: {
            /** @description Created at version 1 (Location names it) */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        slug: string;
                        /** @enum {string} */
                        category: "website" | "mobile-app" | "automation-bot" | "data-dashboards" | "ai-assistant" | "e-commerce" | "integration" | "other";
                        version: number;
                        title: string;
                        body: string;
                        requiredFields: string[];
                        /** @enum {string} */
                        status: "active" | "retired";
                        updatedBy: string | null;
                        /** @description ISO 8601 date-time */
                        createdAt: string;
                        /** @description ISO 8601 date-time */
                        updatedAt: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            409: components["responses"]["Problem409"];
            413: components["responses"]["Problem413"];
            415: components["responses"]["Problem415"];
            429: components["responses"]["Problem429"];
        };
    };
    getTemplatesId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        slug: string;
                        /** @enum {string} */
                        category: "website" | "mobile-app" | "automation-bot" | "data-dashboards" | "ai-assistant" | "e-commerce" | "integration" | "other";
                        version: number;
                        title: string;
                        body: string;
                        requiredFields: string[];
                        /** @enum {string} */
                        status: "active" | "retired";
                        updatedBy: string | null;
                        /** @description ISO 8601 date-time */
                        createdAt: string;
                        /** @description ISO 8601 date-time */
                        updatedAt: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            429: components["responses"]["Problem429"];
        };
    };
    putTemplatesId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    category?: "website" | "mobile-app" | "automation-bot" | "data-dashboards" | "ai-assistant" | "e-commerce" | "integration" | "other";
                    title?: string;
                    body?: string;
                    requiredFields?: ("title" | "summary" | "category" | "language" | "keywords" | "entities" | "features" | "architecture" | "milestones" | "estimate" | "assumptions" | "questions" | "budget" | "urgency")[];
                    version?: number;
                };
            };
        };
        responses: {
            /** @description Saved as the next version */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        slug: string;
                        /** @enum {string} */
                        category: "website" | "mobile-app" | "automation-bot" | "data-dashboards" | "ai-assistant" | "e-commerce" | "integration" | "other";
                        version: number;
                        title: string;
                        body: string;
                        requiredFields: string[];
                        /** @enum {string} */
                        status: "active" | "retired";
                        updatedBy: string | null;
                        /** @description ISO 8601 date-time */
                        createdAt: string;
                        /** @description ISO 8601 date-time */
                        updatedAt: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            413: components["responses"]["Problem413"];
            415: components["responses"]["Problem415"];
            429: components["responses"]["Problem429"];
        };
    };
    getTemplatesIdVersions: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every version, newest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        versions: {
                            templateId: string;
                            version: number;
                            /** @enum {string} */
                            category: "website" | "mobile-app" | "automation-bot" | "data-dashboards" | "ai-assistant" | "e-commerce" | "integration" | "other";
                            title: string;
                            body: string;
                            requiredFields: string[];
                            createdBy: string | null;
                            /** @description ISO 8601 date-time */
                            createdAt: string;
                        }[];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            429: components["responses"]["Problem429"];
        };
    };
    postTemplatesIdRetire: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Retired (retiring twice answers the same) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        slug: string;
                        /** @enum {string} */
                        category: "website" | "mobile-app" | "automation-bot" | "data-dashboards" | "ai-assistant" | "e-commerce" | "integration" | "other";
                        version: number;
                        title: string;
                        body: string;
                        requiredFields: string[];
                        /** @enum {string} */
                        status: "active" | "retired";
                        updatedBy: string | null;
                        /** @description ISO 8601 date-time */
                        createdAt: string;
                        /** @description ISO 8601 date-time */
                        updatedAt: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    getOpsTimelineCorrelationId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                correlationId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The entries in time order (at most 2,000 of each kind) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        correlationId: string;
                        entries: ({
                            /** @constant */
                            kind: "event";
                            /** @description ISO 8601 date-time */
                            at: string;
                            id: string;
                            type: string;
                            source: string;
                            data: unknown;
                        } | {
                            /** @constant */
                            kind: "log";
                            /** @description ISO 8601 date-time */
                            at: string;
                            level: string;
                            service: string;
                            msg: string;
                            fields: unknown;
                        } | {
                            /** @constant */
                            kind: "dead-letter";
                            /** @description ISO 8601 date-time */
                            at: string;
                            queue: string;
                            eventType: string | null;
                            reason: string;
                            attempts: number;
                        })[];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            429: components["responses"]["Problem429"];
        };
    };
    getOpsEvents: {
        parameters: {
            query?: {
                type?: "user.registered" | "user.updated" | "user.deleted" | "request.created" | "request.processing" | "request.completed" | "request.failed" | "request.cancelled" | "request.erased" | "job.created" | "job.progress" | "job.completed" | "job.failed" | "notification.sent" | "notification.failed" | "notification.delivered" | "notification.check" | "webhook.attempt" | "webhook.endpoint-disabled" | "audit.recorded" | "content.published" | "content.updated" | "content.deleted";
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Newest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        events: {
                            id: string;
                            type: string;
                            correlationId: string;
                            source: string;
                            /** @description ISO 8601 date-time */
                            occurredAt: string;
                            data: unknown;
                            /** @description ISO 8601 date-time */
                            receivedAt: string;
                        }[];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            429: components["responses"]["Problem429"];
        };
    };
    getOpsDeadLetters: {
        parameters: {
            query?: {
                queue?: string;
                state?: "open" | "redriven" | "all";
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Newest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        deadLetters: {
                            id: string;
                            queue: string;
                            /** @description The message body as JSON text */
                            body: string;
                            eventType: string | null;
                            correlationId: string | null;
                            attempts: number;
                            reason: string;
                            /** @description ISO 8601 date-time */
                            receivedAt: string;
                            redrivenAt: string | null;
                        }[];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            429: components["responses"]["Problem429"];
        };
    };
    getOpsOverview: {
        parameters: {
            query?: {
                range?: "hour" | "day" | "week";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        range: "hour" | "day" | "week";
                        /** @description ISO 8601 date-time */
                        from: string;
                        /** @description ISO 8601 date-time */
                        to: string;
                        bucketSeconds: number;
                        /**
                         * @description Analytics Engine in the cloud, the D1 roll-up locally
                         * @enum {string}
                         */
                        source: "analytics-engine" | "d1";
                        /** @description Where each bucket starts */
                        buckets: string[];
                        requests: {
                            totals: {
                                created: number;
                                completed: number;
                                failed: number;
                                cancelled: number;
                            };
                            series: {
                                created: number[];
                                completed: number[];
                                failed: number[];
                                cancelled: number[];
                            };
                        };
                        timeToCompleted: {
                            p50Ms: number | null;
                            p95Ms: number | null;
                            series: {
                                p50Ms: (number | null)[];
                                p95Ms: (number | null)[];
                            };
                        };
                        http: {
                            totals: {
                                requests: number;
                                errors: number;
                            };
                            series: {
                                requests: number[];
                                errors: number[];
                                p95Ms: (number | null)[];
                            };
                            routes: {
                                route: string;
                                count: number;
                                errors: number;
                                p50Ms: number | null;
                                p95Ms: number | null;
                            }[];
                        };
                        tasks: {
                            kind: string;
                            provider: string;
                            outcome: string;
                            count: number;
                            p50Ms: number | null;
                            p95Ms: number | null;
                            tokens: number;
                        }[];
                        notifications: {
                            channel: string;
                            outcome: string;
                            count: number;
                        }[];
                        queues: {
                            queue: string;
                            /** @description null where the queue's metrics did not answer */
                            backlog: number | null;
                            retries: number;
                            deadLetters: number;
                        }[];
                        deadLetters: {
                            open: number;
                            series: number[];
                        };
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            429: components["responses"]["Problem429"];
        };
    };
    getOpsRequestsIdStory: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        requestId: string;
                        request: {
                            id: string;
                            /** @enum {string} */
                            channel: "web" | "api" | "email";
                            /** @description ISO 8601 date-time */
                            createdAt: string;
                            userId: string | null;
                            erasedAt: string | null;
                            erased: boolean;
                        } | null;
                        job: {
                            /** @enum {string} */
                            status: "processing" | "completed" | "failed" | "cancelled";
                            /** @description ISO 8601 date-time */
                            createdAt: string;
                            /** @description ISO 8601 date-time */
                            updatedAt: string;
                            completedAt: string | null;
                            error: string | null;
                            tasks: {
                                id: string;
                                /** @enum {string} */
                                kind: "asr" | "docai" | "nlp" | "prototype";
                                fileName?: string;
                                /** @enum {string} */
                                state: "pending" | "running" | "succeeded" | "failed" | "cancelled";
                                attempt: number;
                                /** @description ISO 8601 date-time */
                                startedAt?: string;
                                /** @description ISO 8601 date-time */
                                finishedAt?: string;
                                durationMs?: number;
                                error?: string;
                                provider?: string;
                                /** @description The ops route of the task's result */
                                resultUrl: string;
                            }[];
                        } | null;
                        notifications: {
                            id: string;
                            /** @enum {string} */
                            channel: "email" | "telegram" | "whatsapp" | "linkedin";
                            /** @enum {string} */
                            kind: "received" | "ready" | "failed" | "account";
                            /** @enum {string} */
                            status: "queued" | "sent" | "delivered" | "read" | "failed" | "manual" | "skipped";
                            attempts: number;
                            error: string | null;
                            step: number;
                            /** @description ISO 8601 date-time */
                            createdAt: string;
                            sentAt: string | null;
                            deliveredAt: string | null;
                            failedAt: string | null;
                        }[];
                        entries: ({
                            /** @constant */
                            kind: "event";
                            /** @description ISO 8601 date-time */
                            at: string;
                            id: string;
                            type: string;
                            source: string;
                            data: unknown;
                        } | {
                            /** @constant */
                            kind: "log";
                            /** @description ISO 8601 date-time */
                            at: string;
                            id: number;
                            level: string;
                            service: string;
                            msg: string;
                            fields: unknown;
                        } | {
                            /** @constant */
                            kind: "dead-letter";
                            /** @description ISO 8601 date-time */
                            at: string;
                            id: string;
                            queue: string;
                            eventType: string | null;
                            reason: string;
                            attempts: number;
                            redrivenAt: string | null;
                        } | {
                            /** @constant */
                            kind: "task";
                            /** @description ISO 8601 date-time */
                            at: string;
                            taskId: string;
                            /** @enum {string} */
                            taskKind: "asr" | "docai" | "nlp" | "prototype";
                            /** @enum {string} */
                            state: "pending" | "running" | "succeeded" | "failed" | "cancelled";
                            durationMs?: number;
                            provider?: string;
                        } | {
                            /** @constant */
                            kind: "notification";
                            /** @description ISO 8601 date-time */
                            at: string;
                            notificationId: string;
                            /** @enum {string} */
                            channel: "email" | "telegram" | "whatsapp" | "linkedin";
                            /** @enum {string} */
                            status: "queued" | "sent" | "delivered" | "read" | "failed" | "manual" | "skipped";
                        } | {
                            /** @constant */
                            kind: "audit";
                            /** @description ISO 8601 date-time */
                            at: string;
                            seq: number;
                            action: string;
                            actor: {
                                id: string | null;
                                role: string | null;
                            };
                        })[];
                        /** @description Some kind reached the 2,000 a story shows */
                        truncated: boolean;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            429: components["responses"]["Problem429"];
        };
    };
    getOpsAlerts: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        rules: {
                            id: string;
                            title: string;
                            description: string;
                            /** @description How long the condition holds before it fires, e.g. 5m */
                            for: string;
                            threshold: number | null;
                        }[];
                        active: {
                            rule: string;
                            /** @description ISO 8601 date-time */
                            firedAt: string;
                            value: number | null;
                            summary: string;
                        }[];
                        history: {
                            id: string;
                            rule: string;
                            /** @enum {string} */
                            state: "firing" | "resolved";
                            /** @description ISO 8601 date-time */
                            firedAt: string;
                            resolvedAt: string | null;
                            value: number | null;
                            summary: string;
                        }[];
                    };
                };
            };
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            429: components["responses"]["Problem429"];
        };
    };
    postOpsDeadLettersRedrive: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    queue: string;
                };
            };
        };
        responses: {
            /** @description How many were sent, skipped (erased or redriven meanwhile) and failed (still open) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        queue: string;
                        redriven: number;
                        skipped: number;
                        failed: number;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            413: components["responses"]["Problem413"];
            415: components["responses"]["Problem415"];
            429: components["responses"]["Problem429"];
        };
    };
    getOpsLogs: {
        parameters: {
            query?: {
                worker?: "gateway" | "identity" | "intake" | "orchestrator" | "ai" | "notify" | "content" | "logging";
                level?: "debug" | "info" | "warn" | "error";
                from?: string;
                to?: string;
                correlationId?: string;
                q?: string;
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        lines: {
                            id: number;
                            /** @description ISO 8601 date-time */
                            ts: string;
                            level: string;
                            service: string;
                            correlationId: string | null;
                            requestId: string | null;
                            msg: string;
                            fields: unknown;
                        }[];
                        next: string | null;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            429: components["responses"]["Problem429"];
        };
    };
    getOpsAudit: {
        parameters: {
            query?: {
                action?: string;
                actor?: string;
                target?: string;
                cursor?: number;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        entries: {
                            seq: number;
                            /** @description ISO 8601 date-time */
                            at: string;
                            action: string;
                            actor: {
                                id: string | null;
                                role: string | null;
                            };
                            target: {
                                type: string;
                                id: string;
                            };
                            change: unknown;
                            correlationId: string | null;
                            prevHash: string;
                            hash: string;
                        }[];
                        next: string | null;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            429: components["responses"]["Problem429"];
        };
    };
    getOpsAuditVerify: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The verdict, a broken chain included */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        ok: boolean;
                        /** @description Entries checked before the end or the break */
                        entries: number;
                        head: {
                            seq: number;
                            hash: string;
                        } | null;
                        brokenAt?: {
                            seq: number;
                            /** @enum {string} */
                            reason: "hash-mismatch" | "prev-mismatch" | "missing";
                            expected: string;
                            found: string | null;
                        };
                        /** @description ISO 8601 date-time */
                        checkedAt: string;
                    };
                };
            };
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            429: components["responses"]["Problem429"];
        };
    };
    postOpsDeadLettersIdRedrive: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Sent back to its queue */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        queue: string;
                        /** @description ISO 8601 date-time */
                        redrivenAt: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
            503: components["responses"]["Problem503"];
        };
    };
    getOpsBreakersAi: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        worker: "ai" | "notify";
                        breakers: {
                            /** @description The provider: an AI provider of AI_PROVIDERS, or a notify channel */
                            name: string;
                            /** @enum {string} */
                            state: "closed" | "open" | "half-open";
                            /** @description Failures in a row since the last success */
                            failures: number;
                            /** @description Times opened without a success between: each doubles the cool-down */
                            openings: number;
                            /** @description Outcomes in the failure-rate window (kept in the object's memory) */
                            recentCalls: number;
                            recentFailures: number;
                            openedAt: string | null;
                            /** @description When an open breaker lets its next probe through */
                            nextProbeAt: string | null;
                            /** @description What the last failure said */
                            lastFailure: string | null;
                            lastFailureAt: string | null;
                            /** @description When the state last changed; null for a breaker that never opened */
                            changedAt: string | null;
                        }[];
                    };
                };
            };
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            429: components["responses"]["Problem429"];
        };
    };
    getOpsBreakersNotify: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        worker: "ai" | "notify";
                        breakers: {
                            /** @description The provider: an AI provider of AI_PROVIDERS, or a notify channel */
                            name: string;
                            /** @enum {string} */
                            state: "closed" | "open" | "half-open";
                            /** @description Failures in a row since the last success */
                            failures: number;
                            /** @description Times opened without a success between: each doubles the cool-down */
                            openings: number;
                            /** @description Outcomes in the failure-rate window (kept in the object's memory) */
                            recentCalls: number;
                            recentFailures: number;
                            openedAt: string | null;
                            /** @description When an open breaker lets its next probe through */
                            nextProbeAt: string | null;
                            /** @description What the last failure said */
                            lastFailure: string | null;
                            lastFailureAt: string | null;
                            /** @description When the state last changed; null for a breaker that never opened */
                            changedAt: string | null;
                        }[];
                    };
                };
            };
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            429: components["responses"]["Problem429"];
        };
    };
    getOpsJobSlots: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        slots: number;
                        running: {
                            requestId: string;
                            /** @description ISO 8601 date-time */
                            since: string;
                        }[];
                        waiting: {
                            requestId: string;
                            /** @description ISO 8601 date-time */
                            since: string;
                        }[];
                    };
                };
            };
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            429: components["responses"]["Problem429"];
        };
    };
    getOpsJobsRequestId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                requestId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        requestId: string;
                        /** @enum {string} */
                        status: "processing" | "completed" | "failed" | "cancelled";
                        /** @description ISO 8601 date-time */
                        startedAt: string;
                        finishedAt: string | null;
                        /** @description Where the job's combined result is kept, once completed */
                        resultKey: string | null;
                        error: string | null;
                        plan: {
                            id: string;
                            /** @enum {string} */
                            kind: "asr" | "docai" | "nlp" | "prototype";
                            deps: string[];
                        }[];
                        tasks: {
                            id: string;
                            /** @enum {string} */
                            kind: "asr" | "docai" | "nlp" | "prototype";
                            fileName?: string;
                            /** @enum {string} */
                            state: "pending" | "running" | "succeeded" | "failed" | "cancelled";
                            attempt: number;
                            /** @description ISO 8601 date-time */
                            startedAt?: string;
                            /** @description ISO 8601 date-time */
                            finishedAt?: string;
                            durationMs?: number;
                            error?: string;
                            provider?: string;
                            /** @description When the current attempt was taken off the queue; null while it waits there */
                            pickedAt: string | null;
                            retryAt: string | null;
                            deadlineAt: string | null;
                            resultKey: string | null;
                        }[];
                        unsentMessages: number;
                        /** @description What hosted models used so far */
                        usage: {
                            inputTokens: number;
                            outputTokens: number;
                            neurons: number;
                        };
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            429: components["responses"]["Problem429"];
        };
    };
    getOpsJobsRequestIdTasksTaskIdResult: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                requestId: string;
                taskId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        taskId: string;
                        kind: string;
                        attempt: number;
                        output: unknown;
                        provenance: unknown;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            429: components["responses"]["Problem429"];
        };
    };
    postOpsRequestsIdCancel: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        requestId: string;
                        /** @enum {string} */
                        status: "processing" | "completed" | "failed" | "cancelled";
                        /** @description ISO 8601 date-time */
                        startedAt: string;
                        finishedAt: string | null;
                        /** @description Where the job's combined result is kept, once completed */
                        resultKey: string | null;
                        error: string | null;
                        plan: {
                            id: string;
                            /** @enum {string} */
                            kind: "asr" | "docai" | "nlp" | "prototype";
                            deps: string[];
                        }[];
                        tasks: {
                            id: string;
                            /** @enum {string} */
                            kind: "asr" | "docai" | "nlp" | "prototype";
                            fileName?: string;
                            /** @enum {string} */
                            state: "pending" | "running" | "succeeded" | "failed" | "cancelled";
                            attempt: number;
                            /** @description ISO 8601 date-time */
                            startedAt?: string;
                            /** @description ISO 8601 date-time */
                            finishedAt?: string;
                            durationMs?: number;
                            error?: string;
                            provider?: string;
                            /** @description When the current attempt was taken off the queue; null while it waits there */
                            pickedAt: string | null;
                            retryAt: string | null;
                            deadlineAt: string | null;
                            resultKey: string | null;
                        }[];
                        unsentMessages: number;
                        /** @description What hosted models used so far */
                        usage: {
                            inputTokens: number;
                            outputTokens: number;
                            neurons: number;
                        };
                    } | {
                        requestId: string;
                        /** @constant */
                        status: "cancelled";
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    postOpsJobsRequestIdRetry: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                requestId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        requestId: string;
                        /** @enum {string} */
                        status: "processing" | "completed" | "failed" | "cancelled";
                        /** @description ISO 8601 date-time */
                        startedAt: string;
                        finishedAt: string | null;
                        /** @description Where the job's combined result is kept, once completed */
                        resultKey: string | null;
                        error: string | null;
                        plan: {
                            id: string;
                            /** @enum {string} */
                            kind: "asr" | "docai" | "nlp" | "prototype";
                            deps: string[];
                        }[];
                        tasks: {
                            id: string;
                            /** @enum {string} */
                            kind: "asr" | "docai" | "nlp" | "prototype";
                            fileName?: string;
                            /** @enum {string} */
                            state: "pending" | "running" | "succeeded" | "failed" | "cancelled";
                            attempt: number;
                            /** @description ISO 8601 date-time */
                            startedAt?: string;
                            /** @description ISO 8601 date-time */
                            finishedAt?: string;
                            durationMs?: number;
                            error?: string;
                            provider?: string;
                            /** @description When the current attempt was taken off the queue; null while it waits there */
                            pickedAt: string | null;
                            retryAt: string | null;
                            deadlineAt: string | null;
                            resultKey: string | null;
                        }[];
                        unsentMessages: number;
                        /** @description What hosted models used so far */
                        usage: {
                            inputTokens: number;
                            outputTokens: number;
                            neurons: number;
                        };
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    postOpsJobsRequestIdTasksTaskIdRetry: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                requestId: string;
                taskId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        requestId: string;
                        /** @enum {string} */
                        status: "processing" | "completed" | "failed" | "cancelled";
                        /** @description ISO 8601 date-time */
                        startedAt: string;
                        finishedAt: string | null;
                        /** @description Where the job's combined result is kept, once completed */
                        resultKey: string | null;
                        error: string | null;
                        plan: {
                            id: string;
                            /** @enum {string} */
                            kind: "asr" | "docai" | "nlp" | "prototype";
                            deps: string[];
                        }[];
                        tasks: {
                            id: string;
                            /** @enum {string} */
                            kind: "asr" | "docai" | "nlp" | "prototype";
                            fileName?: string;
                            /** @enum {string} */
                            state: "pending" | "running" | "succeeded" | "failed" | "cancelled";
                            attempt: number;
                            /** @description ISO 8601 date-time */
                            startedAt?: string;
                            /** @description ISO 8601 date-time */
                            finishedAt?: string;
                            durationMs?: number;
                            error?: string;
                            provider?: string;
                            /** @description When the current attempt was taken off the queue; null while it waits there */
                            pickedAt: string | null;
                            retryAt: string | null;
                            deadlineAt: string | null;
                            resultKey: string | null;
                        }[];
                        unsentMessages: number;
                        /** @description What hosted models used so far */
                        usage: {
                            inputTokens: number;
                            outputTokens: number;
                            neurons: number;
                        };
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    getOpsSpamLog: {
        parameters: {
            query?: {
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        entries: {
                            id: string;
                            reason: string;
                            channel: string;
                            clientIp: string | null;
                            email: string | null;
                            excerpt: string | null;
                            /** @description ISO 8601 date-time */
                            createdAt: string;
                        }[];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            429: components["responses"]["Problem429"];
        };
    };
    getOpsUsers: {
        parameters: {
            query: {
                email: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        users: {
                            id: string;
                            email: string;
                            name: string;
                            /** @enum {string} */
                            role: "client" | "author" | "ops" | "admin";
                            emailVerified: boolean;
                            /** @description ISO 8601 date-time */
                            createdAt: string;
                        }[];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            429: components["responses"]["Problem429"];
        };
    };
    putOpsUsersIdRole: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    role: "client" | "author" | "ops" | "admin";
                    password: string;
                };
            };
        };
        responses: {
            /** @description The account with its role now */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        user: {
                            id: string;
                            email: string;
                            name: string;
                            /** @enum {string} */
                            role: "client" | "author" | "ops" | "admin";
                            emailVerified: boolean;
                            /** @description ISO 8601 date-time */
                            createdAt: string;
                        };
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            413: components["responses"]["Problem413"];
            415: components["responses"]["Problem415"];
            429: components["responses"]["Problem429"];
        };
    };
    getOpsRoleChanges: {
        parameters: {
            query?: {
                target?: string;
                before?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        changes: {
                            id: string;
                            actorId: string;
                            actorEmail: string | null;
                            targetId: string;
                            targetEmail: string | null;
                            /** @enum {string} */
                            oldRole: "client" | "author" | "ops" | "admin";
                            /** @enum {string} */
                            newRole: "client" | "author" | "ops" | "admin";
                            /** @description ISO 8601 date-time */
                            at: string;
                        }[];
                        /** @description The `before` of the next page; null on the last */
                        nextBefore: string | null;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            429: components["responses"]["Problem429"];
        };
    };
    getOpsServiceAccounts: {
        parameters: {
            query?: {
                before?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        accounts: {
                            id: string;
                            email: string;
                            name: string;
                            /** @enum {string} */
                            role: "client" | "author" | "ops" | "admin";
                            emailVerified: boolean;
                            /** @description ISO 8601 date-time */
                            createdAt: string;
                            /** @constant */
                            kind: "service";
                            /** @description Newest first */
                            keys: {
                                id: string;
                                name: string;
                                /** @description The key's first characters, to recognise it */
                                prefix: string;
                                scopes: ("requests:write" | "requests:read" | "webhooks:write")[];
                                /** @description ISO 8601 date-time */
                                createdAt: string;
                                lastUsedAt: string | null;
                                expiresAt: string | null;
                                revokedAt: string | null;
                            }[];
                        }[];
                        /** @description The `before` of the next page; null on the last */
                        next: string | null;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            429: components["responses"]["Problem429"];
        };
    };
    postOpsServiceAccounts: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    scopes: ("requests:write" | "requests:read" | "webhooks:write")[];
                    /** Format: date-time */
                    expiresAt?: string;
                };
            };
        };
        responses: {
            /** @description Created: the account and its first key, this once */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        account: {
                            id: string;
                            email: string;
                            name: string;
                            /** @enum {string} */
                            role: "client" | "author" | "ops" | "admin";
                            emailVerified: boolean;
                            /** @description ISO 8601 date-time */
                            createdAt: string;
                            /** @constant */
                            kind: "service";
                        };
                        key: {
                            id: string;
                            name: string;
                            /** @description The key's first characters, to recognise it */
                            prefix: string;
                            scopes: ("requests:write" | "requests:read" | "webhooks:write")[];
                            /** @description ISO 8601 date-time */
                            createdAt: string;
                            lastUsedAt: string | null;
                            expiresAt: string | null;
                            revokedAt: string | null;
                            /** @description The key (sx_live_… or sx_test_…), answered this once */
                            key: string;
                        };
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            409: components["responses"]["Problem409"];
            413: components["responses"]["Problem413"];
            415: components["responses"]["Problem415"];
            429: components["responses"]["Problem429"];
        };
    };
    postOpsServiceAccountsIdApiKeys: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    scopes: ("requests:write" | "requests:read" | "webhooks:write")[];
                    /** Format: date-time */
                    expiresAt?: string;
                };
            };
        };
        responses: {
            /** @description Created: the key, this once */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        name: string;
                        /** @description The key's first characters, to recognise it */
                        prefix: string;
                        scopes: ("requests:write" | "requests:read" | "webhooks:write")[];
                        /** @description ISO 8601 date-time */
                        createdAt: string;
                        lastUsedAt: string | null;
                        expiresAt: string | null;
                        revokedAt: string | null;
                        /** @description The key (sx_live_… or sx_test_…), answered this once */
                        key: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            413: components["responses"]["Problem413"];
            415: components["responses"]["Problem415"];
            429: components["responses"]["Problem429"];
        };
    };
    deleteOpsApiKeysId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Revoked */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            429: components["responses"]["Problem429"];
        };
    };
    getOpsSecurityEvents: {
        parameters: {
            query?: {
                kind?: string;
                email?: string;
                before?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        events: {
                            id: string;
                            kind: string;
                            emailHash: string | null;
                            userId: string | null;
                            network: string | null;
                            detail: string | null;
                            /** @description ISO 8601 date-time */
                            at: string;
                        }[];
                        /** @description The `before` of the next page; null on the last */
                        next: string | null;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            429: components["responses"]["Problem429"];
        };
    };
    postOpsSigningKeysRotate: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @default false */
                    immediately?: boolean;
                };
            };
        };
        responses: {
            /** @description Rotated */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        kid: string;
                        keys: {
                            kid: string;
                            /** @enum {string} */
                            status: "active" | "retired";
                            /** @description ISO 8601 date-time */
                            createdAt: string;
                            retiredAt: string | null;
                            /** @description Until when its tokens are still accepted, once retired */
                            verifyUntil: string | null;
                        }[];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            413: components["responses"]["Problem413"];
            415: components["responses"]["Problem415"];
            429: components["responses"]["Problem429"];
        };
    };
    getOpsNotifications: {
        parameters: {
            query?: {
                requestId?: string;
                status?: "queued" | "sent" | "delivered" | "read" | "failed" | "manual" | "skipped";
                channel?: "email" | "telegram" | "whatsapp" | "linkedin";
                before?: string;
                limit?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Echoed when one request's messages were asked for */
                        requestId?: string;
                        notifications: {
                            id: string;
                            eventId: string | null;
                            requestId: string | null;
                            userId: string | null;
                            /** @enum {string} */
                            channel: "email" | "telegram" | "whatsapp" | "linkedin";
                            /** @enum {string} */
                            kind: "received" | "ready" | "failed" | "account";
                            /** @enum {string} */
                            locale: "en" | "de";
                            recipient: string;
                            template: string;
                            subject: string | null;
                            /** @enum {string} */
                            status: "queued" | "sent" | "delivered" | "read" | "failed" | "manual" | "skipped";
                            step: number;
                            fallbackFrom: string | null;
                            attempts: number;
                            providerMessageId: string | null;
                            error: string | null;
                            /** @description ISO 8601 date-time */
                            createdAt: string;
                            updatedAt: string | null;
                            sentAt: string | null;
                            deliveredAt: string | null;
                            readAt: string | null;
                            failedAt: string | null;
                        }[];
                        /** @description The `before` of the next page; null on the last and for one request's list */
                        next: string | null;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            429: components["responses"]["Problem429"];
        };
    };
    getOpsLinkedinTasks: {
        parameters: {
            query?: {
                status?: "open" | "done" | "skipped";
                limit?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        tasks: {
                            id: string;
                            notificationId: string;
                            requestId: string | null;
                            profile: string;
                            text: string;
                            /** @enum {string} */
                            status: "open" | "done" | "skipped";
                            /** @description ISO 8601 date-time */
                            createdAt: string;
                            doneBy: string | null;
                            doneAt: string | null;
                        }[];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            429: components["responses"]["Problem429"];
        };
    };
    postOpsLinkedinTasksId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    outcome: "done" | "skipped";
                };
            };
        };
        responses: {
            /** @description Marked */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        /** @enum {string} */
                        status: "done" | "skipped";
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            413: components["responses"]["Problem413"];
            415: components["responses"]["Problem415"];
            429: components["responses"]["Problem429"];
        };
    };
    getNotificationsUnsubscribe: {
        parameters: {
            query: {
                token: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page asking to confirm, whose button POSTs */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": unknown;
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            429: components["responses"]["Problem429"];
        };
    };
    postNotificationsUnsubscribe: {
        parameters: {
            query: {
                token: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Unsubscribed: the kind, to a request accepting application/json; a page saying so otherwise */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @description The kind of message no longer sent
                         * @enum {string}
                         */
                        unsubscribed: "received" | "ready" | "failed" | "account";
                    };
                    "text/html": unknown;
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            429: components["responses"]["Problem429"];
        };
    };
    postWebhooksEmail: {
        parameters: {
            query?: never;
            header: {
                "svix-id": string;
                "svix-timestamp": string;
                "svix-signature": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description email.sent, email.delivered, email.opened, email.bounced move the message on; others are only noted */
                    type: string;
                    created_at?: string;
                    data: {
                        email_id: string;
                        bounce?: {
                            message?: string;
                            type?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
        responses: {
            /** @description Taken, acted on or not understood (never sent again) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        received: true;
                        /** @constant */
                        duplicate?: true;
                    };
                };
            };
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            413: components["responses"]["Problem413"];
            429: components["responses"]["Problem429"];
        };
    };
    postWebhooksTelegram: {
        parameters: {
            query?: never;
            header: {
                "x-telegram-bot-api-secret-token": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    update_id: number;
                    message?: {
                        chat: {
                            id: number | string;
                            type: string;
                        } & {
                            [key: string]: unknown;
                        };
                        from?: {
                            username?: string;
                            language_code?: string;
                        } & {
                            [key: string]: unknown;
                        };
                        text?: string;
                    } & {
                        [key: string]: unknown;
                    };
                    my_chat_member?: {
                        chat: {
                            id: number | string;
                            type: string;
                        } & {
                            [key: string]: unknown;
                        };
                        new_chat_member: {
                            status: string;
                        } & {
                            [key: string]: unknown;
                        };
                    } & {
                        [key: string]: unknown;
                    };
                } & {
                    [key: string]: unknown;
                };
            };
        };
        responses: {
            /** @description Taken, acted on or not understood (never sent again) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        ok: true;
                        /** @constant */
                        duplicate?: true;
                    };
                };
            };
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            413: components["responses"]["Problem413"];
            429: components["responses"]["Problem429"];
        };
    };
    getWebhooksWhatsapp: {
        parameters: {
            query: {
                "hub.mode": "subscribe";
                "hub.verify_token": string;
                "hub.challenge": string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description hub.challenge, as it came */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": unknown;
                };
            };
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            429: components["responses"]["Problem429"];
        };
    };
    postWebhooksWhatsapp: {
        parameters: {
            query?: never;
            header: {
                "x-hub-signature-256": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    entry?: ({
                        changes?: ({
                            field?: string;
                            value: {
                                messages?: ({
                                    from: string;
                                    id?: string;
                                    timestamp: string | number;
                                } & {
                                    [key: string]: unknown;
                                })[];
                                statuses?: ({
                                    id: string;
                                    /** @description sent, delivered, read and failed move the message on */
                                    status: string;
                                    timestamp: string | number;
                                    errors?: ({
                                        code?: number;
                                        title?: string;
                                        message?: string;
                                    } & {
                                        [key: string]: unknown;
                                    })[];
                                } & {
                                    [key: string]: unknown;
                                })[];
                            } & {
                                [key: string]: unknown;
                            };
                        } & {
                            [key: string]: unknown;
                        })[];
                    } & {
                        [key: string]: unknown;
                    })[];
                } & {
                    [key: string]: unknown;
                };
            };
        };
        responses: {
            /** @description Taken, acted on or not understood */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        received: true;
                    };
                };
            };
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            413: components["responses"]["Problem413"];
            429: components["responses"]["Problem429"];
        };
    };
    getDevOutbox: {
        parameters: {
            query?: {
                requestId?: string;
                to?: string;
                channel?: "email" | "telegram" | "whatsapp" | "linkedin";
                limit?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        messages: {
                            id: string;
                            channel: string;
                            from?: string;
                            to: string[];
                            subject?: string;
                            body: string;
                            html?: string;
                            requestId?: string;
                            /** @description ISO 8601 date-time */
                            time: string;
                            /** @description The latest of statuses */
                            status?: string;
                            statuses: {
                                status: string;
                                /** @description ISO 8601 date-time */
                                time: string;
                                detail?: string;
                            }[];
                            idempotencyKey?: string;
                            providerMessageId: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        }[];
                        localServicesUrl: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            404: components["responses"]["Problem404"];
            429: components["responses"]["Problem429"];
        };
    };
    webhookRequestProcessing: {
        parameters: {
            query?: never;
            header: {
                /** @description The delivery's id: the same on every retry and re-send, so a receiver takes it once */
                "webhook-id": string;
                /** @description Seconds since the epoch when this attempt was signed: refuse one far from now (a replay) */
                "webhook-timestamp": string;
                /** @description `v1,<base64 HMAC-SHA256 of id.timestamp.body>` with the endpoint's secret (whsec_ base64-decoded); while a rolled secret overlaps, a second one, space-separated: accept either */
                "webhook-signature": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @constant */
                    type: "request.processing";
                    /**
                     * @description When the event happened
                     * @example 2026-12-03T07:47:15.370Z
                     */
                    timestamp: string;
                    data: {
                        /**
                         * @description The event's id: the same for every endpoint that received it, and on every retry
                         * @example 0b9f3c7e-5d1a-4f6b-9a2e-7c4d8e1f2a3b
                         */
                        eventId: string;
                        /** @example req_01M8YH0YRN617ZBEZBP0EKDJQ5 */
                        requestId: string;
                        /**
                         * @description GET it with an API key holding requests:read (or the owner's session)
                         * @example https://statex.app/api/requests/req_01M8YH0YRN617ZBEZBP0EKDJQ5
                         */
                        statusUrl: string;
                        /** @constant */
                        status: "processing";
                    };
                };
            };
        };
        responses: {
            /** @description Taken: the delivery succeeded */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Anything else (or no answer within 10 s): tried again later */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    webhookRequestCompleted: {
        parameters: {
            query?: never;
            header: {
                /** @description The delivery's id: the same on every retry and re-send, so a receiver takes it once */
                "webhook-id": string;
                /** @description Seconds since the epoch when this attempt was signed: refuse one far from now (a replay) */
                "webhook-timestamp": string;
                /** @description `v1,<base64 HMAC-SHA256 of id.timestamp.body>` with the endpoint's secret (whsec_ base64-decoded); while a rolled secret overlaps, a second one, space-separated: accept either */
                "webhook-signature": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @constant */
                    type: "request.completed";
                    /**
                     * @description When the event happened
                     * @example 2026-12-03T07:47:15.370Z
                     */
                    timestamp: string;
                    data: {
                        /**
                         * @description The event's id: the same for every endpoint that received it, and on every retry
                         * @example 0b9f3c7e-5d1a-4f6b-9a2e-7c4d8e1f2a3b
                         */
                        eventId: string;
                        /** @example req_01M8YH0YRN617ZBEZBP0EKDJQ5 */
                        requestId: string;
                        /**
                         * @description GET it with an API key holding requests:read (or the owner's session)
                         * @example https://statex.app/api/requests/req_01M8YH0YRN617ZBEZBP0EKDJQ5
                         */
                        statusUrl: string;
                        /** @constant */
                        status: "completed";
                    };
                };
            };
        };
        responses: {
            /** @description Taken: the delivery succeeded */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Anything else (or no answer within 10 s): tried again later */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    webhookRequestFailed: {
        parameters: {
            query?: never;
            header: {
                /** @description The delivery's id: the same on every retry and re-send, so a receiver takes it once */
                "webhook-id": string;
                /** @description Seconds since the epoch when this attempt was signed: refuse one far from now (a replay) */
                "webhook-timestamp": string;
                /** @description `v1,<base64 HMAC-SHA256 of id.timestamp.body>` with the endpoint's secret (whsec_ base64-decoded); while a rolled secret overlaps, a second one, space-separated: accept either */
                "webhook-signature": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @constant */
                    type: "request.failed";
                    /**
                     * @description When the event happened
                     * @example 2026-12-03T07:47:15.370Z
                     */
                    timestamp: string;
                    data: {
                        /**
                         * @description The event's id: the same for every endpoint that received it, and on every retry
                         * @example 0b9f3c7e-5d1a-4f6b-9a2e-7c4d8e1f2a3b
                         */
                        eventId: string;
                        /** @example req_01M8YH0YRN617ZBEZBP0EKDJQ5 */
                        requestId: string;
                        /**
                         * @description GET it with an API key holding requests:read (or the owner's session)
                         * @example https://statex.app/api/requests/req_01M8YH0YRN617ZBEZBP0EKDJQ5
                         */
                        statusUrl: string;
                        /** @constant */
                        status: "failed";
                        /** @description Why the job failed */
                        reason: string;
                    };
                };
            };
        };
        responses: {
            /** @description Taken: the delivery succeeded */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Anything else (or no answer within 10 s): tried again later */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    webhookRequestCancelled: {
        parameters: {
            query?: never;
            header: {
                /** @description The delivery's id: the same on every retry and re-send, so a receiver takes it once */
                "webhook-id": string;
                /** @description Seconds since the epoch when this attempt was signed: refuse one far from now (a replay) */
                "webhook-timestamp": string;
                /** @description `v1,<base64 HMAC-SHA256 of id.timestamp.body>` with the endpoint's secret (whsec_ base64-decoded); while a rolled secret overlaps, a second one, space-separated: accept either */
                "webhook-signature": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @constant */
                    type: "request.cancelled";
                    /**
                     * @description When the event happened
                     * @example 2026-12-03T07:47:15.370Z
                     */
                    timestamp: string;
                    data: {
                        /**
                         * @description The event's id: the same for every endpoint that received it, and on every retry
                         * @example 0b9f3c7e-5d1a-4f6b-9a2e-7c4d8e1f2a3b
                         */
                        eventId: string;
                        /** @example req_01M8YH0YRN617ZBEZBP0EKDJQ5 */
                        requestId: string;
                        /**
                         * @description GET it with an API key holding requests:read (or the owner's session)
                         * @example https://statex.app/api/requests/req_01M8YH0YRN617ZBEZBP0EKDJQ5
                         */
                        statusUrl: string;
                        /** @constant */
                        status: "cancelled";
                        /**
                         * @description Who cancelled it
                         * @enum {string}
                         */
                        cancelledBy: "client" | "ops";
                    };
                };
            };
        };
        responses: {
            /** @description Taken: the delivery succeeded */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Anything else (or no answer within 10 s): tried again later */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
}
