# Signing in, accounts, user administration, audit trail.

nav-login = Sign in
nav-logout = Sign out
nav-account = Account
nav-admin-users = Users
nav-admin-audit = Audit trail

login-title = Sign in
login-heading = Sign in to Tiến Độ
login-username = Username
login-password = Password
login-submit = Sign in
login-forgot = Forgot your password? Ask your organisation's administrator for a password reset link.
login-missing = Enter your username and password.
login-failed = Wrong username or password, or the account is locked. Check them (mind Caps Lock and the Vietnamese input method).
login-locked = Signing in is locked for a while after too many failed attempts. Try again in { $minutes } minutes (at { $time }).
login-session-expired = Your session has expired. Sign in again.
login-session-expired-kept = Your session expired before you sent the form. What you typed is kept: sign in to send it.
login-required-kept = You need to sign in to send this form. What you typed is kept: sign in to send it.
login-after-reset = Your new password is saved. Sign in with it.

resend-title = Send the form again
resend-expired = The form expired or your session changed, so it was not sent. What you typed is kept below; check it and press Send again.
resend-after-login = You are signed in. What you typed before is kept below; check it and press Send again.
resend-submit = Send again
resend-cancel = Discard

reset-title = Reset password
reset-heading = Choose a new password
reset-submit = Save the new password
reset-effects = Saving the new password ends every session of the account, voids every other reset link and revokes every API token.
reset-keep-tokens = Keep the existing API tokens (only if you are sure they were not exposed)
reset-invalid = This password reset link is invalid, already used or expired. Ask an administrator for a new one.

password-current = Current password
password-new = New password
password-confirm = New password again
password-rules = At least 10 characters of at least two kinds: lower case, upper case, digits, symbols; not your username.

field-password_too_short = The password needs at least { $min } characters.
field-password_is_username = The password must not be your username.
field-password_too_simple = The password needs at least two kinds of characters (lower case, upper case, digits, symbols).
field-password_mismatch = The two new passwords differ.
field-password_wrong = The current password is wrong.
field-username_taken = This username is taken.
field-username_format = A username has 3–40 characters: letters without diacritics, digits, dot, hyphen or underscore.
field-email_format = Invalid e-mail address.
field-unknown_organization = No such organisation.
field-scope_outside = This role lies outside the scope you administer.
field-grant_exists = The user already has this role with this scope.
field-unknown_role = Invalid role.
field-date_format = Invalid date; write it as day/month/year, for example 31/12/2026.
field-date_past = This date has passed.

error-csrf_failed = The form expired
    .detail = The request did not carry a valid protection code or did not come from a page of this site, so it was not carried out. Reload the page and try again.

history-heading = History
history-empty = No change recorded yet.
history-field = Field
history-before = Before
history-after = After

## Audit summaries of signing in and out
audit-login = Signed in
audit-login-failed = Failed sign-in as { $username }
audit-logout = Signed out
audit-reset-password-by-link = Password set through a one-time link
audit-reset-password-tokens-revoked = Password set through a one-time link; { $tokens } API tokens revoked
audit-sign-in-unlocked = Sign-in lock lifted for account { $username }
admin-sign-in-locked = Signing in to this account is locked until { $until } after too many wrong passwords. The lock follows the account name, so anyone can cause it; lift it if the owner needs to get in now.
admin-sign-in-unlock = Lift the sign-in lock
