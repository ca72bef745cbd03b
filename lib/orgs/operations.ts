// Owns the organization operations the settings pages call (their server actions derive from them).
import { operation } from "../ops/operation";
import { updateOrgSchema, updateOrganization } from "./organizations";
import { changeMemberRole, changeRoleSchema, leaveOrganization, removeMember, removeMemberSchema } from "./members";
import { setTwoFactorRequirement, twoFactorPolicySchema } from "./two-factor-policy";
import { createInvitation, inviteSchema, revokeInvitation, revokeInvitationSchema } from "./invitations";

export const updateOrganizationOp = operation({
  name: "updateOrganization",
  summary: "Rename the organization or change its slug",
  input: { body: updateOrgSchema },
  handler: (ctx, { body }) => updateOrganization(ctx, body),
});

export const inviteMemberOp = operation({
  name: "inviteMember",
  summary: "Invite someone by email",
  input: { body: inviteSchema },
  handler: (ctx, { body }) => createInvitation(ctx, body),
});

export const revokeInvitationOp = operation({
  name: "revokeInvitation",
  summary: "Revoke a pending invitation",
  input: { body: revokeInvitationSchema },
  handler: (ctx, { body }) => revokeInvitation(ctx, body),
});

export const changeMemberRoleOp = operation({
  name: "changeMemberRole",
  summary: "Change a member's role",
  input: { body: changeRoleSchema },
  handler: (ctx, { body }) => changeMemberRole(ctx, body),
});

export const removeMemberOp = operation({
  name: "removeMember",
  summary: "Remove a member (keeping, transferring or revoking their keys)",
  input: { body: removeMemberSchema },
  handler: (ctx, { body }) => removeMember(ctx, body),
});

export const leaveOrganizationOp = operation({
  name: "leaveOrganization",
  summary: "Leave the organization",
  input: {},
  handler: (ctx) => leaveOrganization(ctx),
});

export const setTwoFactorRequirementOp = operation({
  name: "setTwoFactorRequirement",
  summary: "Require (or stop requiring) two-factor authentication of every member",
  input: { body: twoFactorPolicySchema },
  handler: (ctx, { body }) => setTwoFactorRequirement(ctx, body),
});
