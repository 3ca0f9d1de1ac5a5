Feature: The consumer's launch forms carry a correctly signed basic launch
  Plugfest plays the tool registered at the LMS. It fetches the LMS's launch pages (the
  configured form URLs, as a browser would), reads the auto-submitting form and checks the
  parameters and the OAuth 1.0a signature with the shared secret.

  Background:
    Given the consumer's learner launch form is fetched

  @req:LTI11-TC-001 @must @spec:lti-1.1-ig#basic-launch-data
  Scenario: The form posts to the launch URL registered for Plugfest
    Then the launch form posts to the launch URL registered for Plugfest

  @req:LTI11-TC-002 @must @spec:lti-1.1-ig#basic-launch-data
  Scenario: The message type is a basic launch
    Then the launch parameter "lti_message_type" is "basic-lti-launch-request"

  @req:LTI11-TC-003 @must @spec:lti-1.1-ig#basic-launch-data
  Scenario: The LTI version is LTI-1p0
    Then the launch parameter "lti_version" is "LTI-1p0"

  @req:LTI11-TC-004 @must @spec:lti-1.1-ig#basic-launch-data
  Scenario: A resource link is named
    Then the launch carries a non-empty "resource_link_id"

  @req:LTI11-TC-005 @must @spec:lti-1.1-ig#lti-security-model
  Scenario: The OAuth parameters are complete
    Then the launch carries the OAuth 1.0a parameters

  @req:LTI11-TC-006 @must @spec:rfc5849#3.4
  Scenario: The signature verifies with the shared secret
    Then the launch's signature verifies with the shared secret

  @req:LTI11-TC-007 @should @spec:rfc5849#3.3
  Scenario: The timestamp is current
    Then the launch's oauth_timestamp is within 5 minutes of now

  @req:LTI11-TC-008 @must @spec:rfc5849#3.3
  Scenario: Each launch has a fresh nonce
    Given the consumer's learner launch form is fetched again
    Then the two launches have different nonces

  @req:LTI11-TC-009 @should @spec:lti-1.1-ig#basic-launch-data
  Scenario: The user is identified
    Then the launch carries a non-empty "user_id"

  @req:LTI11-TC-010 @should @spec:lti-1.1-ig#basic-launch-data
  Scenario: Roles are sent from the LIS vocabulary
    Then the launch's roles are from the LIS vocabulary

  @req:LTI11-TC-011 @should @spec:lti-1.1-ig#basic-launch-data
  Scenario: The resource link has a title
    Then the launch carries a non-empty "resource_link_title"

  @req:LTI11-TC-012 @should @spec:lti-1.1-ig#basic-launch-data
  Scenario: The product family is named
    Then the launch carries a non-empty "tool_consumer_info_product_family_code"

  @req:LTI11-TC-013 @should @spec:lti-1.1-ig#basic-launch-data
  Scenario: The product version is named
    Then the launch carries a non-empty "tool_consumer_info_version"

  @req:LTI11-TC-014 @should @spec:lti-1.1-ig#basic-launch-data
  Scenario: The return URL is absolute
    Then the launch parameter "launch_presentation_return_url" is an absolute URL

  @req:LTI11-TC-015 @should @spec:lti-1.1-ig#basic-launch-data
  Scenario: The course is identified
    Then the launch carries a non-empty "context_id"

  @req:LTI11-TC-016 @must @spec:lti-bo-1.1#overview
  Scenario: A graded learner launch names the outcomes service and the result
    Then the launch carries a non-empty "lis_outcome_service_url"
    And the launch carries a non-empty "lis_result_sourcedid"

  @req:LTI11-TC-017 @should @spec:lti-bo-1.1#overview
  Scenario: The outcomes service URL is absolute HTTPS
    Then the launch parameter "lis_outcome_service_url" is an absolute HTTPS URL
