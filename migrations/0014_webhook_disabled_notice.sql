-- An integrator's endpoint that failed every attempt for too long is disabled by notify (outgoing/deliveries.ts), and
-- its owner must hear of it however notify is cut short: the webhook.endpoint-disabled event is written by the same
-- update, into notify's outbox, and notify's consumer sends the email (retried, then dead-lettered, never lost).
-- Its id names the endpoint and the failure it ends, so one failure makes one event. It carries ids, not the URL: an
-- endpoint's URL may hold a token of the integrator's, and every event is kept in logging's store.
CREATE TRIGGER `webhook_endpoint_disabled` AFTER UPDATE OF `enabled` ON `webhook_endpoints`
  WHEN OLD.enabled = 1 AND NEW.enabled = 0 AND NEW.failing_since IS NOT NULL AND NEW.disabled_reason = 'every delivery failed for too long' BEGIN
  INSERT OR IGNORE INTO `event_outbox` (`id`, `type`, `body`) VALUES ('whd_' || NEW.id || '_' || NEW.failing_since, 'webhook.endpoint-disabled', json_object(
    'id', 'whd_' || NEW.id || '_' || NEW.failing_since, 'type', 'webhook.endpoint-disabled', 'occurredAt', NEW.updated_at, 'correlationId', NEW.id,
    'source', 'notify', 'data', json_object('endpointId', NEW.id, 'userId', NEW.user_id, 'failingSince', NEW.failing_since)));
END;
