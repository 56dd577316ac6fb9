import { STAFF_ONLY_PANELS, dashboardScope, roleFromToken, scopeNote } from '../src/renderer/manager-view';

const token = (claims: object) =>
  `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.signature-not-read-here`;

it('shows staff every panel and no narrowing line', () => {
  const scope = dashboardScope('staff');
  expect(scope.staffPanels).toEqual(STAFF_ONLY_PANELS);
  expect(scope.title).toBe('staff');
  expect(scopeNote('staff', 3)).toBeNull();
});

it("hides staff's own panels from a manager and says how many resources they manage", () => {
  const scope = dashboardScope('user');
  expect(scope.staffPanels).toEqual([]);
  expect(STAFF_ONLY_PANELS).toEqual([
    'groups-panel',
    'failed-panel',
    'new-resource',
    'access-panel',
    'api-keys-panel',
    'webhooks-panel',
    'displays-panel',
  ]);
  expect(scope.title).toBe('manager');
  expect(scopeNote('user', 1)).toBe('You manage 1 resource: only it is shown here.');
  expect(scopeNote('user', 2)).toBe('You manage 2 resources: only they are shown here.');
  expect(scopeNote('user', 0)).toMatch(/no resources/);
});

it("reads the role from the token's claims; anything else counts as a user's", () => {
  expect(roleFromToken(token({ sub: 'a', role: 'staff' }))).toBe('staff');
  expect(roleFromToken(token({ sub: 'a', role: 'user' }))).toBe('user');
  expect(roleFromToken(token({ sub: 'a', role: 'admin' }))).toBe('user');
  expect(roleFromToken('not-a-token')).toBe('user');
  expect(roleFromToken('a.!!!.c')).toBe('user');
});
