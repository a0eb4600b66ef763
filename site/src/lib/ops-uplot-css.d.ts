// uPlot's stylesheet, imported by the console's script so that esbuild writes it beside the bundle (js/ops.css):
// a style the page links, since the site's CSP refuses inline ones. It exports nothing.
declare module "uplot/dist/uPlot.min.css";
