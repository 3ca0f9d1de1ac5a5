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

  @req:LTI13-TOOL-OIDC-010 @must @spec:lti-core-1.3#4.1.1
  Scenario: The authentication request echoes the lti_message_hint unaltered
    Then the authentication request passes the check "lti_message_hint is echoed"

  @req:LTI13-TOOL-OIDC-011 @must @spec:lti-core-1.3#5.3.4
  Scenario: A foreign target_link_uri never becomes the redirect_uri
    When a login is initiated at the tool with a target_link_uri on another origin
    Then the token is not sent to that target_link_uri

  @req:LTI13-TOOL-OIDC-012 @must @spec:lti-sec-1.0#5.1.1.1
  Scenario: A login initiated by GET is accepted
    When a login is initiated at the tool by GET
    Then the tool redirects the browser to the platform's authentication endpoint

  @req:LTI13-TOOL-OIDC-013 @must @spec:lti-sec-1.0#5.1.1.1
  Scenario: A login initiated by a form POST is accepted
    When a login is initiated at the tool by POST
    Then the tool redirects the browser to the platform's authentication endpoint

  @req:LTI13-TOOL-OIDC-014 @should @spec:lti-sec-1.0#5.1.1.2
  Scenario: The nonce is unguessable
    When a second login is initiated at the tool
    Then the "nonce" of every login is unguessable

  @req:LTI13-TOOL-OIDC-015 @should @spec:lti-sec-1.0#5.1.1.2
  Scenario: The state is unguessable
    When a second login is initiated at the tool
    Then the "state" of every login is unguessable
