export * from './policy.schema';
export * from './policy.rules';
export * from './recurrence';
