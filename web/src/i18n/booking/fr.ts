import type { CatalogueOf } from '@booking/shared';
import type { en } from './en';

export const fr: CatalogueOf<typeof en> = {};
