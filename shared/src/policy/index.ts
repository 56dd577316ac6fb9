export * from './policy.schema';
export * from './policy.rules';
export * from './recurrence';
export { addDays, localInstant, localParts } from './zone-time';
