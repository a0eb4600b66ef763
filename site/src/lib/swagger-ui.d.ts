// swagger-ui-dist ships no types: the one call the reference page makes, and its stylesheet (which exports nothing).
declare module "swagger-ui-dist/swagger-ui-bundle.js" {
  const SwaggerUIBundle: (options: { url: string; dom_id: string; deepLinking?: boolean; docExpansion?: "list" | "full" | "none"; defaultModelsExpandDepth?: number }) => unknown;
  export default SwaggerUIBundle;
}
declare module "swagger-ui-dist/swagger-ui.css";
