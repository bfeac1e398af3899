// Every module's services, as one object (`app.services`, `ctx.services`). Each platform module and
// feature adds its own entries from its index.ts, next to the code that builds them:
//
//   declare module '#src/platform/services.ts' {
//     interface Services { stories: StoriesService }
//   }
//
// so this file never lists a feature, and a feature's services are typed wherever they are used.
// A feature may use the services of the platform and of features before it in the list; it never
// reaches into another feature's tables or repository.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Services {}
