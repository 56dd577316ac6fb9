/**
 * `@booking/client`: the client library that lives in `shared/src/client/` (edited there, next to
 * the schemas and event maps it is typed by), published from this workspace.
 */
export * from '../../shared/src/client/index';
