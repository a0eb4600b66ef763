/**
 * /api/docs: the API's interactive reference, Swagger UI reading the gateway's OpenAPI document. The gateway serves
 * the page (its own CSP: this script and its stylesheet from the site, nothing inline); "Try it out" calls the API
 * on this origin, so connect-src stays 'self'.
 */
import SwaggerUIBundle from "swagger-ui-dist/swagger-ui-bundle.js";
// Written beside the bundle (js/api-docs.css) by esbuild: a stylesheet the page links, as the CSP asks.
import "swagger-ui-dist/swagger-ui.css";

SwaggerUIBundle({ url: "/api/openapi.json", dom_id: "#reference", deepLinking: true, docExpansion: "list", defaultModelsExpandDepth: 0 });
