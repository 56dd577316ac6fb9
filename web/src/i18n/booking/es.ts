import type { CatalogueOf } from '@booking/shared';
import type { en } from './en';

export const es: CatalogueOf<typeof en> = {};
