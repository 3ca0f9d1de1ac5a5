Feature: The platform's token endpoint: client credentials with a JWT-bearer client assertion
  Plugfest asks for access tokens the way a tool does (Security Framework §4.1.1): a
  client_credentials grant whose client assertion is signed RS256 by Plugfest's tool key, the
  key the platform reads from Plugfest's tool key set URL. The assertion's audience is the
  configured token_audience (default: the token URL).

  @req:LTI13-PLAT-OAUTH-001 @must @spec:lti-sec-1.0#4.1.1
  Scenario: A valid client assertion gets a bearer token for the requested scopes
    When Plugfest requests an access token with a valid client assertion
    Then the token endpoint issues a bearer token for the requested scopes

  @req:LTI13-PLAT-OAUTH-002 @must @spec:rfc6749#5.1
  Scenario: The token response may not be cached
    When Plugfest requests an access token with a valid client assertion
    Then the token response says Cache-Control no-store

  @req:LTI13-PLAT-OAUTH-003 @must @spec:lti-sec-1.0#4.1.1
  Scenario: An assertion addressed to another audience is refused
    When Plugfest requests an access token with a client assertion addressed to another audience
    Then the token endpoint refuses it

  @req:LTI13-PLAT-OAUTH-004 @must @spec:lti-sec-1.0#4.1.1
  Scenario: An assertion whose issuer and subject are not the client ID is refused
    When Plugfest requests an access token with a client assertion whose issuer and subject are another client
    Then the token endpoint refuses it

  @req:LTI13-PLAT-OAUTH-005 @must @spec:lti-sec-1.0#4.1.1
  Scenario: An expired assertion is refused
    When Plugfest requests an access token with a client assertion that has expired
    Then the token endpoint refuses it

  @req:LTI13-PLAT-OAUTH-006 @must @spec:lti-sec-1.0#4.1.1
  Scenario: A replayed assertion is refused
    When Plugfest requests an access token twice with the same client assertion
    Then the token endpoint refuses the second request

  @req:LTI13-PLAT-OAUTH-007 @must @spec:lti-sec-1.0#4.1.1
  Scenario: An assertion whose signature does not verify is refused
    When Plugfest requests an access token with a client assertion whose signature does not verify
    Then the token endpoint refuses it

  @req:LTI13-PLAT-OAUTH-008 @must @spec:lti-sec-1.0#4.1.1
  Scenario: An assertion signed by a key Plugfest never registered is refused
    When Plugfest requests an access token with a client assertion signed by an unregistered key
    Then the token endpoint refuses it

  @req:LTI13-PLAT-OAUTH-009 @must @spec:rfc7523#2.2
  Scenario: A client assertion type other than JWT bearer is refused
    When Plugfest requests an access token with the client assertion type "urn:ietf:params:oauth:client-assertion-type:saml2-bearer"
    Then the token endpoint refuses it

  @req:LTI13-PLAT-OAUTH-010 @must @spec:rfc6749#3.3
  Scenario: An unknown scope is never granted
    When Plugfest requests an access token for a known scope and an unknown scope
    Then the unknown scope is not granted

  @req:LTI13-PLAT-OAUTH-011 @should @spec:rfc6749#5.2
  Scenario: A request for unknown scopes only is answered invalid_scope
    When Plugfest requests an access token for an unknown scope only
    Then the token endpoint answers with the error "invalid_scope"

  @req:LTI13-PLAT-OAUTH-012 @may @spec:lti-sec-1.0#4.1.1
  Scenario: Which client assertion audience the platform accepts
    When Plugfest tries the token URL and the issuer as client assertion audience
    Then Plugfest reports which audience the platform accepts
