Feature: OIDC login initiation — the tool's authentication request
  Plugfest, playing the platform, starts a third-party initiated login at the tool
  (Security Framework §5.1.1.1) and reads the authentication request the tool sends
  the browser to (§5.1.1.2). Plugfest does not follow that redirect: it checks it.

  Background:
    Given a login has been initiated at the tool

  @req:LTI13-TOOL-OIDC-001 @must @spec:lti-sec-1.0#5.1.1.2
  Scenario: The authentication request asks for the openid scope
    Then the authentication request passes the check "scope includes openid"

  @req:LTI13-TOOL-OIDC-002 @must @spec:lti-sec-1.0#5.1.1.2
  Scenario: The authentication request asks for an id_token
    Then the authentication request passes the check "response_type is id_token"

  @req:LTI13-TOOL-OIDC-003 @must @spec:lti-sec-1.0#5.1.1.2
  Scenario: The authentication request asks for a form post
    Then the authentication request passes the check "response_mode is form_post"

  @req:LTI13-TOOL-OIDC-004 @must @spec:lti-sec-1.0#5.1.1.2
  Scenario: The authentication request asks the platform not to prompt
    Then the authentication request passes the check "prompt is none"

  @req:LTI13-TOOL-OIDC-005 @must @spec:lti-sec-1.0#5.1.1.2
  Scenario: The authentication request carries the registered client_id
    Then the authentication request passes the check "client_id is registered"

  @req:LTI13-TOOL-OIDC-006 @must @spec:lti-sec-1.0#5.1.1.2
  Scenario: The authentication request names a registered redirect_uri
    Then the authentication request passes the check "redirect_uri is registered"

  @req:LTI13-TOOL-OIDC-008 @must @spec:lti-sec-1.0#5.1.1.2
  Scenario: The authentication request echoes the login_hint
    Then the authentication request passes the check "login_hint is echoed"

  @req:LTI13-TOOL-OIDC-007 @must @spec:lti-sec-1.0#5.1.1.2
  Scenario: Every login gets a new nonce
    When a second login is initiated at the tool
    Then the "nonce" differs between the two authentication requests

  @req:LTI13-TOOL-OIDC-009 @should @spec:lti-sec-1.0#5.1.1.2
  Scenario: Every login gets a new state
    When a second login is initiated at the tool
    Then the "state" differs between the two authentication requests
