import { DEFAULT_POLICY } from '@booking/shared';
import { approvalFromPolicy, readApproval } from '../src/renderer/approval-form';
import { formFromResource, readPolicyForm, serverErrors } from '../src/renderer/policy-form';

const resource = {
  timeZone: 'UTC',
  policy: {
    ...DEFAULT_POLICY,
    approval: { required: 'outsidePolicy' as const, approverIds: ['0123456789abcdef01234567'], expireHours: 1.5 },
  },
};

it('round-trips approval settings through the form, fractions of hours included', () => {
  const form = formFromResource(resource);
  expect(form.approval).toEqual({
    required: 'outsidePolicy',
    approverIds: ['0123456789abcdef01234567'],
    expireHours: '1.5',
  });
  expect(readPolicyForm(form)).toEqual({ ok: true, timeZone: 'UTC', policy: resource.policy });
});

it('sends null for none, and leaves empty hours to the server default', () => {
  expect(readApproval({ required: 'none', approverIds: ['0123456789abcdef01234567'], expireHours: '3' })).toBeNull();
  expect(readApproval({ required: 'always', approverIds: [], expireHours: ' ' })).toEqual({
    required: 'always',
    approverIds: [],
  });
  expect(approvalFromPolicy(null)).toEqual({ required: 'none', approverIds: [], expireHours: '' });
  const read = readPolicyForm({
    ...formFromResource(resource),
    approval: { required: 'none', approverIds: [], expireHours: '' },
  });
  expect(read.ok && read.policy.approval).toBeNull();
});

it('shows invalid hours and the server’s approval errors on their fields', () => {
  const form = formFromResource(resource);
  for (const hours of ['0', '-1', 'soon']) {
    const read = readPolicyForm({ ...form, approval: { ...form.approval, expireHours: hours } });
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.errors['approval.expireHours']).toMatch(/\S/);
  }
  const bad = readPolicyForm({ ...form, approval: { ...form.approval, approverIds: ['nobody'] } });
  expect(!bad.ok && bad.errors['approval.approverIds']).toBe('must be a user id');
  expect(serverErrors([{ path: 'policy.approval.approverIds.0', message: 'no such user' }]).fields).toEqual({
    'approval.approverIds': 'no such user',
  });
});
