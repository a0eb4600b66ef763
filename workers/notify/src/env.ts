/** NotifyEnv with its vars widened to string: what delivery reads, and what a test may point elsewhere. */
export type DeliveryEnv = { [K in keyof NotifyEnv]: NotifyEnv[K] extends string ? string : NotifyEnv[K] };
