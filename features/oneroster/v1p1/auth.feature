Feature: OneRoster 1.1 authentication (OAuth 1.0a)
  Every request is signed with OAuth 1.0a (HMAC-SHA256 unless the config says otherwise) by the
  signer in plugfest-http; query values are encoded per RFC 5849 §3.6 (a space is %20).

  Background:
    Given the OneRoster 1.1 provider under test

  @req:OR11-SP-AUTH-001 @must @spec:or11-rb#security
  Scenario: A correctly signed request is accepted
    Then a request signed with a correct signature is answered 200

  @req:OR11-SP-AUTH-002 @must @spec:or11-rb#security
  Scenario: An unsigned request is refused
    Then a request signed with no credentials is answered 401

  @req:OR11-SP-AUTH-003 @must @spec:rfc5849#3.2
  Scenario: A wrong signature is refused
    Then a request signed with a wrong signature is answered 401

  @req:OR11-SP-AUTH-004 @must @spec:or11-cert#oauth-space
  Scenario: Spaces and reserved characters in query values
    Then a signed request whose filter value holds spaces and reserved characters is accepted

  @req:OR11-SP-AUTH-005 @should @spec:rfc5849#3.3
  Scenario: A stale timestamp is refused
    Then a request signed with a stale timestamp is answered 401

  @req:OR11-SP-AUTH-006 @should @spec:rfc5849#3.3
  Scenario: A replayed nonce is refused
    Then a replayed nonce is refused
