# Accounts, roles, API tokens: audit trail summaries and the error of an account's status.

audit-account-created = Account { $username } created
audit-account-updated = Account { $username } edited
audit-account-disabled = Account { $username } disabled
audit-account-enabled = Account { $username } enabled
audit-password-link-first = Password link issued for { $username }
audit-password-link-reset = Password reset link issued for { $username }
audit-password-changed = Password changed
audit-role-granted = Role { $role } granted to { $username }
audit-role-revoked = Role { $role } revoked from { $username }
audit-token-created = API token “{ $name }” created (number { $id })
audit-token-revoked = API token number { $id } revoked
audit-token-revoked-by-admin = API token number { $id } of { $username } revoked

error-account_status_unchanged = The account already has this status
    .detail = The account already has the status asked for; nothing changed. Reload the page to see its current status.
