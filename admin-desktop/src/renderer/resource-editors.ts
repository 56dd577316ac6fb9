/**
 * The dashboard's resource panel: the list with its settings and policy editors, the new-resource
 * form, and the busy-time calendar feeds. The editors are drawn again only when the resources
 * change, so a live update never wipes what staff type; each of staff's own changes comes back
 * through `setResources` (from the command's answer, never a re-read).
 */
import type { Resource } from '@booking/shared';
import type { Act, ClientError } from '@booking/client';
import type { AdminCommands } from './admin.client';
import type { UserDirectory } from './approval-editor.view';
import { createCalendarFeeds } from './calendar-feeds.view';
import { byId, mount } from './dom.util';
import { createNewResourceForm, renderResources } from './resources.view';
import { t } from './i18n';

export interface ResourceEditorDeps {
  resources(): Resource[];
  setResources(resources: Resource[]): void;
  container: HTMLElement;
  send: AdminCommands;
  act: Act;
  say(text: string): void;
  sayError(error: ClientError): void;
  baseUrl: string;
  token(): Promise<string | null>;
  /** Finds and names the users picked as approvers. */
  users: UserDirectory;
}

/** Mounts the panel; answers its render function. */
export function createResourceEditors(d: ResourceEditorDeps): () => void {
  const { send, act } = d;
  mount(
    byId('new-resource', HTMLDivElement),
    createNewResourceForm(async (input) => {
      const res = await act(() => send('resource:create', input), t('resources.added'));
      if (res) d.setResources([...d.resources(), res.resource]);
      return res !== undefined;
    }),
  );
  const calendarFeeds = createCalendarFeeds({ baseUrl: d.baseUrl, token: d.token });
  mount(byId('calendar-feeds', HTMLDivElement), calendarFeeds.el);
  let resourcesKey = '';
  const openPolicies = new Set<string>();
  return () => {
    const resources = d.resources();
    const key = JSON.stringify(resources);
    if (key === resourcesKey) return;
    resourcesKey = key;
    calendarFeeds.update(resources);
    mount(
      d.container,
      renderResources(resources, {
        update: async (input) => {
          const answer = await send('resource:update', input);
          if (!answer.ok) {
            d.sayError(answer.error);
            return answer.error;
          }
          d.say(input.force ? t('resources.savedForced') : t('resources.saved'));
          d.setResources(d.resources().map((r) => (r.id === answer.data.resource.id ? answer.data.resource : r)));
          return null;
        },
        savePolicy: async (input) => {
          const answer = await send('resource:update', input);
          if (!answer.ok) {
            d.sayError(answer.error);
            return answer.error;
          }
          d.say(t('resources.policySaved', { name: answer.data.resource.name }));
          d.setResources(d.resources().map((r) => (r.id === answer.data.resource.id ? answer.data.resource : r)));
          return null;
        },
        openPolicies,
        users: d.users,
        remove: (id, name) => {
          if (!window.confirm(t('resources.confirmDelete', { name }))) return;
          void act(() => send('resource:delete', { id }), t('resources.deleted')).then((res) => {
            if (res) d.setResources(d.resources().filter((r) => r.id !== id));
          });
        },
      }),
    );
  };
}
