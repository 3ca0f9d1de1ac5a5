Feature: The platform's OIDC login: login initiation and the authentication endpoint
  A launch starts at the platform, which sends the user agent to Plugfest's login URL (Security
  Framework §5.1.1.1); Plugfest answers with an authentication request, and the platform
  form-posts an id_token to Plugfest's registered redirect URI (§5.1.1.2–§5.1.1.3). Crafted
  authentication requests reuse the hints of a fresh login initiation; a refusal is an answer
  that carries no id_token anywhere (body, Location, or a post to the foreign address).

  @req:LTI13-PLAT-OIDC-001 @must @spec:lti-sec-1.0#5.1.1.1
  Scenario: The login initiation names the issuer, a login hint and the target link
    Given the platform's "instructor" launch
    Then the login initiation named the issuer, a login hint and the target link

  @req:LTI13-PLAT-OIDC-002 @must @spec:lti-sec-1.0#5.1.1.3
  Scenario: The id_token is form-posted to the registered redirect URI
    Given the platform's "instructor" launch
    Then an id_token was form-posted to Plugfest's registered redirect URI

  @req:LTI13-PLAT-OIDC-003 @must @spec:lti-sec-1.0#5.1.1.3
  Scenario: The state comes back unchanged
    Given the platform's "instructor" launch
    Then the state Plugfest sent came back unchanged

  @req:LTI13-PLAT-OIDC-004 @must @spec:lti-sec-1.0#5.1.1.3
  Scenario: A redirect URI not registered for Plugfest is refused
    When Plugfest sends an authentication request with a redirect URI not registered for it
    Then the platform issues no id_token

  @req:LTI13-PLAT-OIDC-005 @must @spec:lti-sec-1.0#5.1.1.2
  Scenario: A client ID the platform did not issue is refused
    When Plugfest sends an authentication request with a client ID the platform did not issue
    Then the platform issues no id_token

  @req:LTI13-PLAT-OIDC-006 @must @spec:lti-sec-1.0#5.1.1.2
  Scenario: A response type other than id_token is refused
    When Plugfest sends an authentication request with response_type "code"
    Then the platform issues no id_token

  @req:LTI13-PLAT-OIDC-007 @must @spec:lti-sec-1.0#5.1.1.2
  Scenario: A scope without openid is refused
    When Plugfest sends an authentication request with scope "profile"
    Then the platform issues no id_token

  @req:LTI13-PLAT-OIDC-008 @must @spec:lti-sec-1.0#5.1.1.2
  Scenario: A response mode other than form_post is refused
    When Plugfest sends an authentication request with response_mode "query"
    Then the platform issues no id_token

  @req:LTI13-PLAT-OIDC-009 @must @spec:lti-sec-1.0#5.1.1.2
  Scenario: An authentication request without a nonce is refused
    When Plugfest sends an authentication request without a nonce
    Then the platform issues no id_token
