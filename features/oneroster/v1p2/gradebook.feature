Feature: OneRoster 1.2 gradebook
  Optional service: not-applicable when not claimed and absent (404). Writes run only with
  --allow-writes under the configured sandbox_class and are deleted afterwards.

  Background:
    Given the OneRoster 1.2 provider under test
    And the provider offers the gradebook service

  @req:OR12-SP-AUTH-009 @must @spec:or12-gb-oas#getAllLineItems
  Scenario: A rostering token is refused on the gradebook
    Then GET "lineItems" with a rostering token is answered 403

  @req:OR12-SP-GB-001 @must @spec:or12-gb-oas#LineItemDType
  Scenario: Line items conform
    Then every lineItem object conforms to its schema

  @req:OR12-SP-GB-002 @must @spec:or12-gb-oas#ResultDType
  Scenario: Results conform
    Then every result object conforms to its schema

  @req:OR12-SP-GB-003 @must @spec:or12-gb-oas#CategoryDType
  Scenario: Categories conform
    Then every category object conforms to its schema

  @req:OR12-SP-GB-004 @must @spec:or12-gb-oas#ScoreScaleDType
  Scenario: Score scales conform
    Then every scoreScale object conforms to its schema

  @req:OR12-SP-GB-005 @must @spec:or12-gb-oas#getLineItemsForClass
  Scenario: The line items of a class
    Then the line items of a class are exactly those whose class it is

  @req:OR12-SP-GB-006 @must @spec:or12-gb-oas#getResultsForLineItemForClass
  Scenario: The results of a line item
    Then the results of a line item in its class are exactly that line item's results

  @req:OR12-SP-GB-007 @must @spec:or12-gb-oas#getLineItem
  Scenario: Unknown gradebook objects answer 404
    Then unknown line items and results are answered 404 unknownobject

  @req:OR12-SP-GB-017 @must @spec:or12-gb-oas#LineItemDType
  Scenario: Gradebook references resolve
    Then gradebook references resolve

  @req:OR12-SP-AUTH-010 @must @spec:or12-gb-oas#putLineItem
  Scenario: A read-only token cannot write
    Given gradebook writes are allowed in the sandbox class
    Then a line item PUT with only gradebook.readonly is refused with 403

  @req:OR12-SP-GB-008 @must @spec:or12-gb-oas#putLineItem
  Scenario: A line item created with PUT is stored
    Given gradebook writes are allowed in the sandbox class
    Then a line item created with PUT is returned by a following GET

  @req:OR12-SP-GB-009 @should @spec:or12-gb-oas#putLineItem
  Scenario: Creating with PUT answers 201
    Given gradebook writes are allowed in the sandbox class
    Then creating a line item with PUT is answered 201

  @req:OR12-SP-GB-010 @must @spec:or12-gb-oas#putLineItem
  Scenario: Updating with PUT changes the line item
    Given gradebook writes are allowed in the sandbox class
    Then updating a line item with PUT changes it

  @req:OR12-SP-GB-011 @must @spec:or12-gb-oas#putResult
  Scenario: A result written with PUT is stored and listed
    Given gradebook writes are allowed in the sandbox class
    Then a result written with PUT as "fully graded" scoring 80 is stored as sent

  @req:OR12-SP-GB-012 @must @spec:or12-gb-oas#ResultDType
  Scenario: An exempt result round-trips
    Given gradebook writes are allowed in the sandbox class
    Then a result written with PUT as "exempt" scoring 0 is stored as sent

  @req:OR12-SP-GB-013 @should @spec:or12-gb-oas#putResult
  Scenario: Extra credit is stored
    Given gradebook writes are allowed in the sandbox class
    Then a result written with PUT as "fully graded" scoring 300 is stored as sent

  @req:OR12-SP-GB-014 @must @spec:or12-gb-oas#deleteResult
  Scenario: Deleting a result
    Given gradebook writes are allowed in the sandbox class
    Then deleting a result answers 204 and removes it

  @req:OR12-SP-GB-015 @must @spec:or12-gb-oas#deleteLineItem
  Scenario: Deleting a line item
    Given gradebook writes are allowed in the sandbox class
    Then deleting a line item answers 204 and removes it, and deleting an unknown one answers 404

  @req:OR12-SP-GB-016 @must @spec:or12-gb-oas#putCategory
  Scenario: Categories can be created and deleted
    Given gradebook writes are allowed in the sandbox class
    Then a category can be created with PUT and deleted
