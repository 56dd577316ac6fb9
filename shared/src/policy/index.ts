export * from './policy.schema';
export * from './policy.rules';
export * from './recurrence';
export { addDays, localInstant, localParts, offsetAt } from './zone-time';
