-- One template per category, version 1: what a prototype uses until authors change them through /api/templates.
-- Written by hand (drizzle-kit generate --custom); the history row is the same version, as the API writes it.
INSERT INTO `templates` (`id`, `slug`, `category`, `version`, `title`, `body`, `required_fields`, `status`, `updated_by`) VALUES ('tpl_website', 'website-default', 'website', 1, 'Website — default', '# {{title}}

## Understanding of the need
{{summary}}

Key phrases: {{keywords}}

Named in the request:
{{entities}}

## Proposed scope and features
A fast, accessible website that your team can edit without a developer, built to be found in search.

{{features}}

## Architecture sketch
{{architecture}}

Pages are served from a CDN close to your visitors; forms and bookings run as small edge functions, so there is no server to patch.

## Milestones
{{milestones}}

## Effort estimate
{{estimate}}

Assumptions:
{{assumptions}}

## Open questions
{{questions}}
', '["summary","features","architecture","milestones","estimate","assumptions","questions"]', 'active', 'seed');
--> statement-breakpoint
INSERT INTO `templates` (`id`, `slug`, `category`, `version`, `title`, `body`, `required_fields`, `status`, `updated_by`) VALUES ('tpl_mobile_app', 'mobile-app-default', 'mobile-app', 1, 'Mobile app — default', '# {{title}}

## Understanding of the need
{{summary}}

Key phrases: {{keywords}}

Named in the request:
{{entities}}

## Proposed scope and features
One cross-platform codebase for iOS and Android, released through the App Store and Google Play.

{{features}}

## Architecture sketch
{{architecture}}

The app talks to one API; push notifications and file uploads go through managed services, so the app stays small.

## Milestones
{{milestones}}

## Effort estimate
{{estimate}}

Assumptions:
{{assumptions}}

## Open questions
{{questions}}
', '["summary","features","architecture","milestones","estimate","assumptions","questions"]', 'active', 'seed');
--> statement-breakpoint
INSERT INTO `templates` (`id`, `slug`, `category`, `version`, `title`, `body`, `required_fields`, `status`, `updated_by`) VALUES ('tpl_automation_bot', 'automation-bot-default', 'automation-bot', 1, 'Automation or bot — default', '# {{title}}

## Understanding of the need
{{summary}}

Key phrases: {{keywords}}

Named in the request:
{{entities}}

## Proposed scope and features
The process runs by itself, and a person hears about it only when something needs a decision.

{{features}}

## Architecture sketch
{{architecture}}

Every run is logged and retried on a passing failure; what still fails lands with a named person, never silently.

## Milestones
{{milestones}}

## Effort estimate
{{estimate}}

Assumptions:
{{assumptions}}

## Open questions
{{questions}}
', '["summary","features","architecture","milestones","estimate","assumptions","questions"]', 'active', 'seed');
--> statement-breakpoint
INSERT INTO `templates` (`id`, `slug`, `category`, `version`, `title`, `body`, `required_fields`, `status`, `updated_by`) VALUES ('tpl_data_dashboards', 'data-dashboards-default', 'data-dashboards', 1, 'Data and dashboards — default', '# {{title}}

## Understanding of the need
{{summary}}

Key phrases: {{keywords}}

Named in the request:
{{entities}}

## Proposed scope and features
One trusted set of figures, refreshed on a schedule, instead of spreadsheets assembled by hand.

{{features}}

## Architecture sketch
{{architecture}}

Imports are repeatable and checked; the dashboards read a clean copy of the data, never the live systems.

## Milestones
{{milestones}}

## Effort estimate
{{estimate}}

Assumptions:
{{assumptions}}

## Open questions
{{questions}}
', '["summary","features","architecture","milestones","estimate","assumptions","questions"]', 'active', 'seed');
--> statement-breakpoint
INSERT INTO `templates` (`id`, `slug`, `category`, `version`, `title`, `body`, `required_fields`, `status`, `updated_by`) VALUES ('tpl_ai_assistant', 'ai-assistant-default', 'ai-assistant', 1, 'AI assistant — default', '# {{title}}

## Understanding of the need
{{summary}}

Key phrases: {{keywords}}

Named in the request:
{{entities}}

## Proposed scope and features
An assistant that answers from your own sources, says when it does not know, and hands over to a person.

{{features}}

## Architecture sketch
{{architecture}}

Answers are grounded in an index of your documents; every answer is logged for review, and the model can be swapped.

## Milestones
{{milestones}}

## Effort estimate
{{estimate}}

Assumptions:
{{assumptions}}

## Open questions
{{questions}}
', '["summary","features","architecture","milestones","estimate","assumptions","questions"]', 'active', 'seed');
--> statement-breakpoint
INSERT INTO `templates` (`id`, `slug`, `category`, `version`, `title`, `body`, `required_fields`, `status`, `updated_by`) VALUES ('tpl_e_commerce', 'e-commerce-default', 'e-commerce', 1, 'Online shop — default', '# {{title}}

## Understanding of the need
{{summary}}

Key phrases: {{keywords}}

Named in the request:
{{entities}}

## Proposed scope and features
A shop your customers can buy from on any device, with payments, stock and orders in one place.

{{features}}

## Architecture sketch
{{architecture}}

Checkout and payments use a certified payment provider, so card data never touches your systems.

## Milestones
{{milestones}}

## Effort estimate
{{estimate}}

Assumptions:
{{assumptions}}

## Open questions
{{questions}}
', '["summary","features","architecture","milestones","estimate","assumptions","questions"]', 'active', 'seed');
--> statement-breakpoint
INSERT INTO `templates` (`id`, `slug`, `category`, `version`, `title`, `body`, `required_fields`, `status`, `updated_by`) VALUES ('tpl_integration', 'integration-default', 'integration', 1, 'Integration — default', '# {{title}}

## Understanding of the need
{{summary}}

Key phrases: {{keywords}}

Named in the request:
{{entities}}

## Proposed scope and features
Your systems share the same data automatically, with one source of truth for each record.

{{features}}

## Architecture sketch
{{architecture}}

The integration service maps, retries and audits every exchange, so a failure is visible and repeatable, not lost.

## Milestones
{{milestones}}

## Effort estimate
{{estimate}}

Assumptions:
{{assumptions}}

## Open questions
{{questions}}
', '["summary","features","architecture","milestones","estimate","assumptions","questions"]', 'active', 'seed');
--> statement-breakpoint
INSERT INTO `templates` (`id`, `slug`, `category`, `version`, `title`, `body`, `required_fields`, `status`, `updated_by`) VALUES ('tpl_other', 'other-default', 'other', 1, 'General request — default', '# {{title}}

## Understanding of the need
{{summary}}

Key phrases: {{keywords}}

Named in the request:
{{entities}}

## Proposed scope and features
A first outline to shape the project together; the discovery phase turns it into a firm scope.

{{features}}

## Architecture sketch
{{architecture}}

The architecture follows from the discovery phase; we prefer managed, serverless building blocks that need no upkeep.

## Milestones
{{milestones}}

## Effort estimate
{{estimate}}

Assumptions:
{{assumptions}}

## Open questions
{{questions}}
', '["summary","features","architecture","milestones","estimate","assumptions","questions"]', 'active', 'seed');
--> statement-breakpoint
INSERT INTO `template_versions` (`template_id`, `version`, `category`, `title`, `body`, `required_fields`, `created_by`) SELECT `id`, `version`, `category`, `title`, `body`, `required_fields`, `updated_by` FROM `templates` WHERE `updated_by` = 'seed';
